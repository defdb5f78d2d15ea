// Validation of Genesys bot flow documents before normalize(): whatever passes here, normalizeSessionWithTurns()
// and normalizeTurns() map without throwing. The model (./model.ts) checks shape, leniently (what the
// SDK requires beyond the ids is reported as warnings); the checks below are the rules normalize()
// relies on that JSON Schema cannot state.
import type { ValidationResult } from '../../ingest/types.js';
import { childPath, compileModel, member, runValidation, type ValidationError } from '../validation.js';
import { BotFlowSession, SessionReportingTurn, type BotFlowSessionWithTurns } from './model.js';
import { SLOTS_PER_TURN } from './normalize.js';

const sessionValidator = compileModel<BotFlowSessionWithTurns>(BotFlowSession);
const turnValidator = compileModel<SessionReportingTurn>(SessionReportingTurn);

/** The rules normalizeTurns() needs of one turn; `path` is where the turn sits in the item. */
function* turnChecks(turn: unknown, path: string): Generator<ValidationError> {
  // A turn's time is its messages' sequence (normalizeTurns): without one they cannot be ordered.
  if (member(turn, 'dateCreated') === undefined && member(turn, 'dateCompleted') === undefined) {
    yield { path: `${path}.dateCreated`, message: 'is required (or dateCompleted): the turn time orders its messages' };
  }
  // Each turn owns SLOTS_PER_TURN sequence numbers: its prompts, then the user input.
  const prompts = member(turn, 'botPrompts');
  const userInput = member(turn, 'userInput');
  if (Array.isArray(prompts)) {
    const parts = prompts.length + (typeof userInput === 'string' && userInput !== '' ? 1 : 0);
    if (parts > SLOTS_PER_TURN) {
      yield {
        path: `${path}.botPrompts`,
        message: `must have at most ${String(SLOTS_PER_TURN)} items including the user input (a turn holds at most ${String(SLOTS_PER_TURN)} messages)`,
      };
    }
  }
}

function* sessionChecks(session: Record<string, unknown>): Generator<ValidationError> {
  const turns = member(session, 'turns');
  if (!Array.isArray(turns)) return;
  const id = member(session, 'id');
  for (let i = 0; i < turns.length; i++) {
    const turn: unknown = turns[i];
    const path = childPath('$.turns', turns, i);
    yield* turnChecks(turn, path);
    // normalizeSessionWithTurns() refuses a turn of another session rather than misfile it.
    const sessionId = member(turn, 'sessionId');
    if (typeof sessionId === 'string' && typeof id === 'string' && sessionId !== id) {
      yield { path: `${path}.sessionId`, message: 'must be the id of the session it is sent with, or be left out' };
    }
  }
}

/** One BotFlowSession, optionally with its reporting turns (`turns`). */
export function validateBotFlowSession(value: unknown): ValidationResult<BotFlowSessionWithTurns> {
  return runValidation(value, sessionValidator, sessionChecks);
}

/** One ReportingTurn on its own; it carries its session's id and a time. */
export function validateReportingTurn(value: unknown): ValidationResult<SessionReportingTurn> {
  return runValidation(value, turnValidator, (turn) => turnChecks(turn, '$'));
}
