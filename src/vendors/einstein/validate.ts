// Validation of Einstein Bot sessions before normalize(): seed 001's schema (./schema.ts, enums opened),
// plus what normalizeEinsteinSession() needs that the seed does not say.
import type { ValidationResult } from '../../ingest/types.js';
import { childPath, compileSchema, isJsonObject, member, runValidation, SAFE_INTEGER_MESSAGE, type ValidationError } from '../validation.js';
import type { EinsteinBotSession } from './native.js';
import { einsteinSessionSchema } from './schema.js';

const validator = compileSchema<EinsteinBotSession>(einsteinSessionSchema);

/**
 * The seed makes sequenceId an "integer", which JSON Schema satisfies with 1e300; the runtime API's
 * int64 values beyond 2^53 would reach Parley already rounded, and two of them could silently become
 * one. Sequences must also be unique: normalizeMessages() takes sequenceId, else the 1-based position,
 * and refuses a session where two messages end up with the same one.
 */
function* einsteinChecks(session: Record<string, unknown>): Generator<ValidationError> {
  // The seed allows "", but an empty id cannot identify a session (it is Parley's externalId).
  if (member(session, 'sessionId') === '') yield { path: '$.sessionId', message: 'must not be empty' };
  const messages = member(session, 'messages');
  if (!Array.isArray(messages)) return;
  const used = new Set<number>();
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    // Not an object is the schema's error, and such an item has no sequence to compare.
    if (!isJsonObject(message)) continue;
    const path = (): string => childPath('$.messages', messages, i);
    const choices = member(message, 'choices');
    if (Array.isArray(choices)) {
      for (let j = 0; j < choices.length; j++) {
        const index = member(choices[j], 'index');
        if (Number.isInteger(index) && !Number.isSafeInteger(index)) {
          yield { path: `${childPath(`${path()}.choices`, choices, j)}.index`, message: SAFE_INTEGER_MESSAGE };
        }
      }
    }
    const sequenceId = member(message, 'sequenceId');
    let sequence: number;
    if (sequenceId === undefined) sequence = i + 1;
    else if (typeof sequenceId === 'number' && Number.isSafeInteger(sequenceId)) sequence = sequenceId;
    else {
      // Not an integer at all is the schema's error; an unsafe one is this check's.
      if (Number.isInteger(sequenceId)) yield { path: `${path()}.sequenceId`, message: SAFE_INTEGER_MESSAGE };
      continue;
    }
    if (!used.has(sequence)) {
      used.add(sequence);
      continue;
    }
    const earlierPath = childPath('$.messages', messages, firstWithSequence(messages, sequence));
    yield sequenceId === undefined
      ? { path: path(), message: `has no sequenceId, and its position (${String(sequence)}), which stands in for it, is already the sequence of ${earlierPath}` }
      : { path: `${path()}.sequenceId`, message: `must be unique in the session: ${earlierPath} already has sequence ${String(sequence)}` };
  }
}

/** The first message whose sequence (sequenceId, else position) is `sequence`; only looked up on a clash. */
function firstWithSequence(messages: readonly unknown[], sequence: number): number {
  for (let i = 0; i < messages.length; i++) {
    if (!isJsonObject(messages[i])) continue;
    const sequenceId = member(messages[i], 'sequenceId');
    if ((sequenceId === undefined ? i + 1 : sequenceId) === sequence) return i;
  }
  return -1;
}

/** One Einstein Bot session (seed 001), in the seed's or the runtime API's spelling. */
export function validateEinsteinSession(value: unknown): ValidationResult<EinsteinBotSession> {
  return runValidation(value, validator, einsteinChecks);
}
