// API keys: `pk_<prefix>_<secret>`. The prefix finds the row; only a SHA-256 of the whole key is
// stored (keys are 256-bit random strings, so a slow password hash would add nothing but latency).
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Prisma } from '../db/client.js';
import type { Scope } from './principal.js';

const KEY_PATTERN = /^pk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function parseKey(key: string): { prefix: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1]! } : null;
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
  tenantId: string;
  scopes: Scope[];
  persistedOnly: boolean;
}

/** Creates the key (and the tenant, the first time its slug is used). The key is returned once, never stored. */
export async function createApiKey(
  prisma: Prisma,
  options: { tenantSlug: string; scopes: Scope[]; persistedOnly?: boolean; label?: string },
): Promise<CreatedKey> {
  // Created if missing with ON CONFLICT DO NOTHING: two keys created at once for a new tenant must not
  // collide on its slug (Prisma's upsert reads, then inserts).
  await prisma.tenant.createMany({ data: [{ id: randomUUID(), slug: options.tenantSlug }], skipDuplicates: true });
  const tenant = await prisma.tenant.findUniqueOrThrow({ where: { slug: options.tenantSlug } });
  const prefix = randomBytes(6).toString('hex');
  const key = `pk_${prefix}_${randomBytes(32).toString('base64url')}`;
  const row = await prisma.apiKey.create({
    data: {
      id: randomUUID(),
      tenantId: tenant.id,
      prefix,
      secretHash: hashKey(key),
      scopes: options.scopes,
      persistedOnly: options.persistedOnly ?? false,
      label: options.label ?? null,
    },
  });
  return { id: row.id, key, prefix, tenantId: tenant.id, scopes: options.scopes, persistedOnly: row.persistedOnly };
}

/** Revokes by key id or prefix; returns how many keys it revoked (0 when none matched). */
export async function revokeApiKey(prisma: Prisma, idOrPrefix: string): Promise<number> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
  const result = await prisma.apiKey.updateMany({
    where: { revokedAt: null, ...(isUuid ? { id: idOrPrefix } : { prefix: idOrPrefix.replace(/^pk_/, '').slice(0, 12) }) },
    data: { revokedAt: new Date() },
  });
  return result.count;
}
