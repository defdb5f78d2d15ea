// Bearer key → Principal. A key is looked up by its prefix and checked against the stored hash; the
// answer is remembered briefly, either way, so a busy partner costs one key query per few seconds, not
// one per request, and a key that does not exist is not looked up again and again (revocation therefore
// takes effect within `cacheMs` on every process). Failed authentications are counted per client
// address, and an address over its budget is refused before any lookup (RATE_LIMITED): random keys
// cannot turn into one database query each. A lookup is one statement whatever the prefix, and the hash
// is compared whether or not a key has that prefix, so the answer takes the same time either way.
import type { Prisma } from '../db/client.js';
import type { RateLimiter } from '../security/limiter.js';
import { parseKey, hashKey, sameHash } from './keys.js';
import { developmentPrincipal, isScope, type Principal } from './principal.js';

export interface AuthFailure {
  status: 401 | 429;
  code: 'UNAUTHENTICATED' | 'RATE_LIMITED';
  message: string;
  /** With RATE_LIMITED: whole seconds until this address may try again. */
  retryAfterSeconds?: number;
}

export interface AuthenticatorOptions {
  production: boolean;
  cacheMs?: number;
  /** Failed authentications per client address (null: not limited). */
  failures?: RateLimiter | null;
}

/** Answers remembered at most (each way); past this the memory starts over. */
const MAX_REMEMBERED = 10_000;

/** Compared with when no key has the prefix: the same work as a real comparison. */
const NO_SUCH_KEY_HASH = hashKey('pk_000000000000_no-such-key-is-ever-issued-with-this-secret-000');

interface KeyRow {
  id: string;
  tenantId: string;
  secretHash: string;
  scopes: string[];
  persistedOnly: boolean;
  revokedAt: Date | null;
  slug: string;
  messageTextIsPii: boolean;
}

export class Authenticator {
  private readonly cacheMs: number;
  private keysExistUntil = 0;
  private keysExistValue = false;
  private readonly verified = new Map<string, { principal: Principal; until: number }>();
  private readonly refused = new Map<string, number>();
  /** Addresses over their budget of failures, until when. */
  private readonly blocked = new Map<string, number>();

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

  /**
   * From an `Authorization` header value (HTTP, SSE) or the WebSocket `connection_init` payload's;
   * `address` is the client's (failed attempts are counted per address).
   */
  async authenticate(authorization: string | null | undefined, address = 'unknown'): Promise<Principal | AuthFailure> {
    if (await this.isOpen()) return developmentPrincipal();
    const fail = (message: string): AuthFailure => ({ status: 401, code: 'UNAUTHENTICATED', message });
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return fail('send an API key as `Authorization: Bearer <key>`');
    const key = match[1]!;
    const now = Date.now();
    const cached = this.verified.get(key);
    if (cached && cached.until > now) return cached.principal;
    const invalid = fail('the API key is invalid or revoked');
    if ((this.refused.get(key) ?? 0) > now) return this.failed(address, invalid);
    const parsed = parseKey(key);
    if (!parsed) return this.failed(address, invalid);
    // Over its budget of failures, an address is not looked up at all until its window passes — but for
    // a key this process verified before (its remembered answer just expired): guessing is what the
    // block stops, and a client sharing its address with a guesser (a NAT, a proxy) keeps its key.
    const blocked = this.blocked.get(address) ?? 0;
    if (blocked > now && cached === undefined) return tooManyFailures(Math.ceil((blocked - now) / 1000));
    const [row] = await this.prisma.$queryRaw<KeyRow[]>`
      SELECT k."id"::text AS "id", k."tenantId"::text AS "tenantId", k."secretHash", k."scopes", k."persistedOnly", k."revokedAt",
             t."slug", t."messageTextIsPii"
      FROM "ApiKey" k JOIN "Tenant" t ON t."id" = k."tenantId" WHERE k."prefix" = ${parsed.prefix}`;
    const matches = sameHash(row?.secretHash ?? NO_SUCH_KEY_HASH, hashKey(key));
    if (!row || !matches || row.revokedAt !== null) {
      remember(this.refused, key, now + this.cacheMs);
      return this.failed(address, invalid);
    }
    const principal = principalOf(row);
    remember(this.verified, key, { principal, until: now + this.cacheMs });
    return principal;
  }

  /**
   * Counts a failed attempt of `address` (shared between processes when the limiter is on Redis); once
   * it is over its budget, it is refused with RATE_LIMITED, here without a lookup until its window ends.
   */
  private async failed(address: string, failure: AuthFailure): Promise<AuthFailure> {
    const decision = await this.options.failures?.take(`auth:${address}`);
    if (!decision || decision.allowed) return failure;
    remember(this.blocked, address, Date.now() + decision.retryAfterSeconds * 1000);
    return tooManyFailures(decision.retryAfterSeconds);
  }
}

function tooManyFailures(retryAfterSeconds: number): AuthFailure {
  return {
    status: 429,
    code: 'RATE_LIMITED',
    message: `too many failed authentications from this address; retry after ${retryAfterSeconds} s`,
    retryAfterSeconds,
  };
}

/** Sets `key`, starting over when the map is full (an attacker's keys cannot grow it without bound). */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_REMEMBERED) map.clear();
  map.set(key, value);
}

/**
 * The principals of keys already verified, as they are now (open subscriptions, ./access-watch.ts):
 * a key revoked or deleted since is absent from the map.
 */
export async function currentPrincipals(prisma: Prisma, keyIds: readonly string[]): Promise<Map<string, Principal>> {
  if (keyIds.length === 0) return new Map();
  const rows = await prisma.apiKey.findMany({ where: { id: { in: [...keyIds] }, revokedAt: null }, include: { tenant: true } });
  return new Map(rows.map((row) => [row.id, principalOf({ ...row, slug: row.tenant.slug, messageTextIsPii: row.tenant.messageTextIsPii })]));
}

function principalOf(row: Pick<KeyRow, 'id' | 'tenantId' | 'scopes' | 'persistedOnly' | 'slug' | 'messageTextIsPii'>): Principal {
  return {
    tenantId: row.tenantId,
    tenantSlug: row.slug,
    scopes: new Set(row.scopes.filter(isScope)),
    keyId: row.id,
    persistedOnly: row.persistedOnly,
    messageTextIsPii: row.messageTextIsPii,
  };
}

export function isFailure(result: Principal | AuthFailure): result is AuthFailure {
  return 'status' in result;
}
