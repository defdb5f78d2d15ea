// Parley's row ids are UUIDs; anything else in a global id cannot name a row.
import { ErrorCode, userError } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The row id inside a decoded global id, checked to be of the expected type. */
export function localIdOf(globalId: { typename: string; id: string }, expected: readonly string[], argName: string): string {
  if (!expected.includes(globalId.typename) || !isUuid(globalId.id)) {
    throw userError(ErrorCode.BAD_ID, `\`${argName}\` must be the id of a ${expected.join(' or ')}.`, { argumentName: argName });
  }
  return globalId.id;
}
