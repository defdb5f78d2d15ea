// Validation of Chatlayer documents before normalize(): session data snapshots (either form) and
// offloading-webhook events. The model: ./model.ts; below, what normalize() needs beyond it.
import type { ValidationResult } from '../../ingest/types.js';
import { childPath, compileModel, isJsonObject, member, NOT_AN_OBJECT, runValidation, type ValidationError } from '../validation.js';
import {
  ChatlayerFlatSession,
  ChatlayerMessagesEvent,
  ChatlayerOffloadEvent,
  ChatlayerWrappedSession,
  type ChatlayerSessionData,
  type ChatlayerWebhookEvent,
} from './model.js';

// Only what a session cannot be stored without is required (its sessionId, and an event's kind); what
// else Chatlayer documents as always there is reported as warnings (./model.ts, `vendorRequired`).
const flatValidator = compileModel<ChatlayerSessionData>(ChatlayerFlatSession);
const wrappedValidator = compileModel<ChatlayerSessionData>(ChatlayerWrappedSession);
const messagesValidator = compileModel<ChatlayerMessagesEvent>(ChatlayerMessagesEvent);
const offloadValidator = compileModel<ChatlayerOffloadEvent>(ChatlayerOffloadEvent);

/** The wrapped form's session id sits one level down, where the lenient schema no longer requires it. */
function* wrappedChecks(session: Record<string, unknown>): Generator<ValidationError> {
  const internal = member(session, 'internal');
  if (isJsonObject(internal) && member(internal, 'sessionId') === undefined) yield { path: '$.internal.sessionId', message: 'is required' };
}

/**
 * Session data. The form is chosen the way splitSessionData() chooses it: a document with an `internal`
 * member is form (b), so its errors are reported against that form rather than against both.
 */
export function validateChatlayerSession(value: unknown): ValidationResult<ChatlayerSessionData> {
  const wrapped = member(value, 'internal') !== undefined;
  return wrapped ? runValidation(value, wrappedValidator, wrappedChecks) : runValidation(value, flatValidator);
}

const EVENT_TYPES = ['messages', 'offload'] as const;

/**
 * Every webhook message is ordered by its own timestamp, else the event's (normalize's collectItems()
 * refuses one with neither, since its sequence is derived from that time).
 */
function* timedItemChecks(event: Record<string, unknown>, listName: 'messages' | 'transcript'): Generator<ValidationError> {
  if (member(event, 'timestamp') !== undefined) return;
  const items = member(event, listName);
  if (!Array.isArray(items)) return;
  for (let i = 0; i < items.length; i++) {
    if (member(items[i], 'timestamp') === undefined) {
      yield { path: `${childPath(`$.${listName}`, items, i)}.timestamp`, message: 'is required when the event has no timestamp: it orders the message' };
    }
  }
}

/**
 * One offloading-webhook event. Only `messages` and `offload` are accepted: Parley cannot know what any
 * other event means for a session, so guessing would store something wrong.
 */
export function validateChatlayerWebhookEvent(value: unknown): ValidationResult<ChatlayerWebhookEvent> {
  if (!isJsonObject(value)) return { ok: false, errors: [NOT_AN_OBJECT] };
  const event = member(value, 'event');
  if (event === undefined) return { ok: false, errors: [{ path: '$.event', message: 'is required' }] };
  if (event === 'messages') return runValidation(value, messagesValidator, (e) => timedItemChecks(e, 'messages'));
  if (event === 'offload') return runValidation(value, offloadValidator, (e) => timedItemChecks(e, 'transcript'));
  return {
    ok: false,
    errors: [{ path: '$.event', message: `must be ${EVENT_TYPES.map((t) => JSON.stringify(t)).join(' or ')}: Parley cannot interpret other webhook events` }],
  };
}
