// Relay global ids: base64url of `TypeName:localId`. Malformed ids are the caller's error, with a code.
import { ErrorCode, userError } from './errors.js';
import { isUuid } from './ids.js';

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
