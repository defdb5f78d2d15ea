// Small helpers every vendor's normalize() needs. They hold no vendor knowledge: a vendor folder stays
// readable alone, and the rules that are the same for all vendors (docs/architecture.md, "Vendor models") live in one place.
import { hash } from 'node:crypto';
import type { JsonObject, JsonValue } from './normalized.js';
import { ItemRejection } from '../ingest/types.js';

/**
 * A deep, JSON-only copy of a vendor document.
 * Native types are declared with optional fields (`string | undefined`), which are not JSON values;
 * a JSON round trip drops the absent ones exactly as the vendor's own serialiser would, and the copy
 * means the stored `data` never aliases (or lets later code mutate) the caller's document.
 */
export function toJsonObject(value: object): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

export function toJsonValue(value: unknown): JsonValue {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/**
 * Vendor timestamps are ISO-8601 strings (Chatlayer webhooks may send epoch milliseconds).
 * An unparseable value yields null rather than an Invalid Date, which the database would refuse;
 * the raw value is still in `data`.
 */
export function parseDate(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function lowerOrNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  return value.toLowerCase();
}

/** Common rule: lastActiveAt falls back to createdAt and is never before it (vendor clocks disagree). */
export function activityAfter(createdAt: Date, lastActive: Date | null): Date {
  if (lastActive === null || lastActive.getTime() < createdAt.getTime()) return createdAt;
  return lastActive;
}

export function earliest(dates: readonly (Date | null)[]): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d !== null && (best === null || d.getTime() < best.getTime())) best = d;
  return best;
}

export function latest(dates: readonly (Date | null)[]): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d !== null && (best === null || d.getTime() > best.getTime())) best = d;
  return best;
}

/**
 * Message sequences are stored as BigInt but travel through JS numbers; anything past 2^53 would
 * silently collide after rounding, so it is refused here instead.
 */
export function assertSafeSequence(sequence: number, what: string): number {
  if (!Number.isSafeInteger(sequence)) {
    throw new ItemRejection('$', `${what}: message sequence ${String(sequence)} is not a safe integer`);
  }
  return sequence;
}

/**
 * JSON with object members in the order of their names (JavaScript string order), so that two documents that differ only
 * in member order (an HTTP body as sent, the same document rebuilt from a GraphQL input) give the same
 * text. Arrays keep their order: it is part of the content.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out += (i === 0 ? '' : ',') + (item === undefined ? 'null' : canonicalJson(item));
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Documents from the pipeline are in this order already: sort only when they are not.
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * A short, stable digest of a value's canonical JSON: content identity. The first 16 bytes of its SHA-256
 * (22 base64url characters): keys are indexed per session, and 128 bits keep two different messages of
 * one session apart with certainty while the index stays small (the full 32 bytes cost the ingest
 * benchmark a tenth of its message inserts).
 */
export function contentDigest(value: unknown): string {
  return hash('sha256', canonicalJson(value), 'buffer').subarray(0, 16).toString('base64url');
}

/**
 * Keys for messages whose only identity is what they say: the n-th repeat of a key in one document is
 * a message of its own (a user who says "yes" twice), so it gets `#n`. Replaying the document gives the
 * same keys.
 */
export function numberRepeats(keys: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((key) => {
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    return count === 0 ? key : `${key}#${String(count)}`;
  });
}
