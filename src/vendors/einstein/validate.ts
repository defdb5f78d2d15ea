// Validation of Einstein Bot documents before normalize(): the model (./model.ts), checked leniently.
// Parley insists only on what it cannot store a session without, and reports what else the seed
// requires as warnings, except where a runtime API response legitimately lacks it (it has no `status`,
// and carries the bot and session ids in `_links`).
import type { ValidationResult } from '../../ingest/types.js';
import { compileModel, member, runValidation, type ValidationError } from '../validation.js';
import { EinsteinBotSession } from './model.js';

const validator = compileModel<EinsteinBotSession>(EinsteinBotSession);

/** Root members the seed requires that Parley finds elsewhere (links, the request, the stored session) or derives. */
const RESOLVED_ELSEWHERE = new Set(['$.sessionId', '$.botId', '$.status']);

function* einsteinChecks(session: Record<string, unknown>): Generator<ValidationError> {
  // The seed allows "", but an empty id cannot identify a session (it is Parley's externalId).
  if (member(session, 'sessionId') === '') yield { path: '$.sessionId', message: 'must not be empty' };
  if (member(session, 'botId') === '') yield { path: '$.botId', message: 'must not be empty' };
}

/** One Einstein Bot session record or runtime API response, in the seed's or the runtime API's spelling. */
export function validateEinsteinSession(value: unknown): ValidationResult<EinsteinBotSession> {
  const result = runValidation(value, validator, einsteinChecks);
  if (!result.ok || result.warnings === undefined) return result;
  const warnings = result.warnings.filter((w) => !RESOLVED_ELSEWHERE.has(w.path));
  return warnings.length > 0 ? { ...result, warnings } : { ok: true, value: result.value };
}
