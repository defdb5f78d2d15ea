// Shared machinery of the vendor validator property tests: arbitrary JSON, mutations of the demo
// fixtures, and the invariants a normalised session must hold whenever its document validated.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { NormalizedSession } from '../../src/vendors/normalized.js';

export const RECEIVED_AT = new Date('2026-11-20T12:00:00.000Z');

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { x: value };
  return value;
}

/** Values that have broken parsers before: types, extremes, bad dates, hostile strings and keys. */
export const JUNK: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1e300,
  '',
  'UNKNOWN_VENDOR_VALUE',
  'constructor',
  '__proto__',
  'not a date',
  '2026-02-30T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-11-17T23:59:60Z',
  '2026-11-17T08:55:02+01',
  '2026-11-17 08:55:02Z',
  '1969-12-31T23:59:59.999Z',
  '2199-12-31T23:59:59.999Z',
  '\u0000',
  'a\ud800b',
  [],
  {},
  [1, 'x', null],
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}') as unknown,
  nested(70),
  nested(20),
];

/** Anything JSON.parse can produce (bounded), plus the junk above. */
export const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(...JUNK),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'toString', 'id', 'sessionId', 'messages', 'internal', 'event'), fc.jsonValue({ maxDepth: 2 })),
);

type Json = unknown;
type Path = (string | number)[];

function pathsOf(root: Json): Path[] {
  const out: Path[] = [];
  const walk = (value: Json, path: Path): void => {
    out.push(path);
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(v, [...path, i]);
      });
    } else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(root, []);
  return out;
}

function leavesOf(roots: readonly Json[]): unknown[] {
  const out: unknown[] = [];
  const walk = (value: Json): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
    else out.push(value);
  };
  roots.forEach(walk);
  return out;
}

type MutationKind = 'delete' | 'replace' | 'duplicate' | 'addMember';
interface Mutation {
  at: number;
  kind: MutationKind;
  replacement: unknown;
  name: string;
}

function parentAndKey(root: Json, path: Path): { parent: Record<string | number, unknown> | unknown[]; key: string | number } | null {
  if (path.length === 0) return null;
  let parent: unknown = root;
  for (const seg of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[seg];
  return { parent: parent as Record<string | number, unknown>, key: path[path.length - 1] as string | number };
}

function apply(root: Json, m: Mutation): Json {
  const paths = pathsOf(root);
  const path = paths[m.at % paths.length] as Path;
  if (path.length === 0) return m.kind === 'replace' ? structuredClone(m.replacement) : root;
  const pk = parentAndKey(root, path);
  if (pk === null) return root;
  const { parent, key } = pk;
  const own = (obj: object, k: string | number, v: unknown) =>
    Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key];
      break;
    case 'replace':
      own(parent, key, structuredClone(m.replacement));
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]));
      break;
    case 'addMember': {
      const target = (parent as Record<string | number, unknown>)[key];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) own(target, m.name, structuredClone(m.replacement));
      break;
    }
  }
  return root;
}

/** Fixtures changed in one to four places: fields dropped, retyped, duplicated, swapped with each other's values or junk. */
export function mutated<T>(fixtures: readonly T[]): fc.Arbitrary<unknown> {
  const swaps = leavesOf(fixtures);
  const replacement = fc.oneof(fc.constantFrom(...JUNK), fc.constantFrom(...swaps), fc.jsonValue({ maxDepth: 2 }));
  const mutation = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom<MutationKind>('delete', 'replace', 'replace', 'duplicate', 'addMember'),
    replacement,
    name: fc.constantFrom('__proto__', 'constructor', 'vendorAddedField', 'internal', 'turns'),
  });
  return fc
    .tuple(fc.constantFrom(...fixtures), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([fixture, mutations]) => mutations.reduce<Json>((doc, m) => apply(doc, m), JSON.parse(JSON.stringify(fixture)) as Json));
}

function assertDate(value: Date | null, what: string): void {
  if (value === null) return;
  expect(value, what).toBeInstanceOf(Date);
  expect(Number.isNaN(value.getTime()), `${what} is a valid date`).toBe(false);
  expect(value.getUTCFullYear(), `${what} year`).toBeGreaterThanOrEqual(1970);
  expect(value.getUTCFullYear(), `${what} year`).toBeLessThan(2200);
}

/** What storage needs of every normalised session. */
export function expectStorable(session: NormalizedSession, externalId: unknown): void {
  expect(session.externalId).toBe(externalId);
  expect(typeof session.externalId).toBe('string');
  expect(session.externalId).not.toBe('');
  assertDate(session.createdAt, 'createdAt');
  assertDate(session.lastActiveAt, 'lastActiveAt');
  assertDate(session.endedAt, 'endedAt');
  assertDate(session.sourceUpdatedAt, 'sourceUpdatedAt');
  expect(() => JSON.stringify(session.data)).not.toThrow();
  expectMessagesStorable(session.messages);
}

export function expectMessagesStorable(messages: NormalizedSession['messages']): void {
  for (const m of messages) {
    expect(Number.isSafeInteger(m.sequence), `sequence ${String(m.sequence)} is a safe integer`).toBe(true);
    expect(Number.isSafeInteger(m.ordinal) && Math.abs(m.ordinal) < 2 ** 31, `ordinal ${String(m.ordinal)} fits an int`).toBe(true);
    expect(typeof m.key === 'string' && m.key !== '' && !m.key.includes('\u0000'), `key ${m.key} is storable`).toBe(true);
  }
  // Identity, not order, must be unique: two messages of one document never share a key.
  const keys = messages.map((m) => m.key);
  expect(new Set(keys).size).toBe(keys.length);
  for (const m of messages) {
    assertDate(m.timestamp, 'message timestamp');
    expect(() => JSON.stringify(m.data)).not.toThrow();
  }
}

export const RUNS = { numRuns: 1500 } as const;
