// Bearer key → Principal. A key is looked up by its prefix and checked against the stored hash; a
// positive answer is remembered briefly so a busy partner costs one key query per few seconds, not
// one per request (revocation therefore takes effect within `cacheMs` on every process).
import type { Prisma } from '../db/client.js';
import type { ApiKey, Tenant } from '../generated/prisma/client.js';
import { parseKey, hashKey, sameHash } from './keys.js';
import { developmentPrincipal, isScope, type Principal } from './principal.js';

export interface AuthFailure {
  status: 401;
  code: 'UNAUTHENTICATED';
  message: string;
}

export interface AuthenticatorOptions {
  production: boolean;
  cacheMs?: number;
}

export class Authenticator {
  private readonly cacheMs: number;
  private keysExistUntil = 0;
  private keysExistValue = false;
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly prisma: Prisma,
    private readonly options: AuthenticatorOptions,
  ) {
    this.cacheMs = options.cacheMs ?? 5000;
  }

  /** Development mode: not production and no key has ever been created. */
  async isOpen(): Promise<boolean> {
    if (this.options.production) return false;
    if (Date.now() > this.keysExistUntil) {
      this.keysExistValue = (await this.prisma.apiKey.count({ take: 1 })) > 0;
      this.keysExistUntil = Date.now() + this.cacheMs;
    }
    return !this.keysExistValue;
  }

  /**
   * The principal this key had when it was last verified, however long ago; undefined for a key never
   * verified by this process. Only for calls that must go on while the database is away (the
   * recording proxies): a key verified before is let through, any other key is not.
   */
  lastVerified(key: string): Principal | undefined {
    return this.verified.get(key)?.principal;
  }

  /** From an `Authorization` header value (HTTP, SSE) or the WebSocket `connection_init` payload's. */
  async authenticate(authorization: string | null | undefined): Promise<Principal | AuthFailure> {
    if (await this.isOpen()) return developmentPrincipal();
    const fail = (message: string): AuthFailure => ({ status: 401, code: 'UNAUTHENTICATED', message });
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return fail('send an API key as `Authorization: Bearer <key>`');
    const key = match[1]!;
    const cached = this.verified.get(key);
    if (cached && cached.until > Date.now()) return cached.principal;
    const parsed = parseKey(key);
    if (!parsed) return fail('the API key is invalid or revoked');
    const row = await this.prisma.apiKey.findUnique({ where: { prefix: parsed.prefix }, include: { tenant: true } });
    if (!row || row.revokedAt !== null || !sameHash(row.secretHash, hashKey(key))) return fail('the API key is invalid or revoked');
    const principal = principalOf(row);
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(key, { principal, until: Date.now() + this.cacheMs });
    return principal;
  }
}

/**
 * The principals of keys already verified, as they are now (open subscriptions, ./access-watch.ts):
 * a key revoked or deleted since is absent from the map.
 */
export async function currentPrincipals(prisma: Prisma, keyIds: readonly string[]): Promise<Map<string, Principal>> {
  if (keyIds.length === 0) return new Map();
  const rows = await prisma.apiKey.findMany({ where: { id: { in: [...keyIds] }, revokedAt: null }, include: { tenant: true } });
  return new Map(rows.map((row) => [row.id, principalOf(row)]));
}

function principalOf(row: ApiKey & { tenant: Tenant }): Principal {
  return {
    tenantId: row.tenantId,
    tenantSlug: row.tenant.slug,
    scopes: new Set(row.scopes.filter(isScope)),
    keyId: row.id,
    persistedOnly: row.persistedOnly,
    messageTextIsPii: row.tenant.messageTextIsPii,
  };
}

export function isFailure(result: Principal | AuthFailure): result is AuthFailure {
  return 'status' in result;
}
