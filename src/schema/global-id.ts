// Relay global ids: base64url of `TypeName:localId`, where the local id is a row's UUID. Everything about
// them is here: encoding, decoding (a malformed id is the caller's error, BAD_ID), checking that an
// argument names a node of the expected type, and the NOT_FOUND of an id that names nothing.
import { ErrorCode, userError } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parley's row ids are UUIDs; anything else in a global id cannot name a row. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Names of the types that implement Node; filled in once the schema is built (schema/index.ts). */
export const nodeTypeNames = new Set<string>();

export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
}

export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const decoded = /^[A-Za-z0-9_-]+={0,2}$/.test(globalId) ? Buffer.from(globalId, 'base64url').toString('utf8') : '';
  const match = /^([A-Za-z][A-Za-z0-9]*):(.+)$/.exec(decoded);
  if (!match?.[1] || !match[2]) {
    throw userError(ErrorCode.BAD_ID, `"${globalId.slice(0, 100)}" is not a Parley global id.`);
  }
  // Every node's row id is a UUID: anything else cannot name a row, and must not reach the database.
  if (!nodeTypeNames.has(match[1]) || !isUuid(match[2])) {
    throw userError(ErrorCode.BAD_ID, `"${globalId.slice(0, 100)}" is not the id of any node.`);
  }
  return { typename: match[1], id: match[2] };
}

/** The row id inside a decoded global id, checked to be of the expected type. */
export function localIdOf(globalId: { typename: string; id: string }, expected: readonly string[], argName: string): string {
  if (!expected.includes(globalId.typename) || !isUuid(globalId.id)) {
    throw userError(ErrorCode.BAD_ID, `\`${argName}\` must be the id of a ${expected.join(' or ')}.`, { argumentName: argName });
  }
  return globalId.id;
}

/**
 * `node` and `nodes` answer an id that names nothing with a coded NOT_FOUND error instead of a bare
 * null, the way GitHub's API does: clients learn why, and the rest of the query still resolves.
 * (Malformed ids never get here: decodeGlobalId rejects them with BAD_ID.)
 */
export function nodeNotFound(globalId: { typename: string }) {
  return userError(ErrorCode.NOT_FOUND, `Could not find a ${globalId.typename} with that id.`);
}
