// What an exchange with the Einstein Bot Runtime API v5 says about its session, as an ingest item:
//   POST   /v5.x.0/bots/{botId}/sessions          start: the user's first message, the bot's answer
//   POST   /v5.x.0/sessions/{sessionId}/messages  the user's message (its sequenceId), the bot's answer
//   DELETE /v5.x.0/sessions/{sessionId}           the end (X-Session-End-Reason), the bot's last message
// The item is the runtime response itself, with the user's message (sender `User`) put before the bot's,
// and the ids the paths give as ingest parameters: the same handler as POST /ingest/einstein/sessions.
import type { JsonObject, JsonValue } from '../../vendors/normalized.js';

export interface Exchange {
  method: string;
  /** The runtime API path (after the proxy's prefix). */
  path: string;
  requestBody: unknown;
  /** X-Session-End-Reason of a DELETE. */
  endReason: string | null;
  status: number;
  responseBody: unknown;
}

export interface Recording {
  document: JsonObject;
  params: Map<string, string>;
}

const START = /^\/v\d+(?:\.\d+)*\/bots\/([^/]+)\/sessions\/?$/;
const MESSAGES = /^\/v\d+(?:\.\d+)*\/sessions\/([^/]+)\/messages\/?$/;
const SESSION = /^\/v\d+(?:\.\d+)*\/sessions\/([^/]+)\/?$/;

/** Whether a call is one the recorder reads (a start, a message, an end), before any body is decoded. */
export function isRecordable(method: string, path: string): boolean {
  const m = method.toUpperCase();
  return (m === 'POST' && (START.test(path) || MESSAGES.test(path))) || (m === 'DELETE' && SESSION.test(path));
}

/** The session a call is about: its path's, or for a start, the one its answer names. */
export function sessionOfCall(path: string, responseBody: unknown): string | null {
  const inPath = MESSAGES.exec(path)?.[1] ?? SESSION.exec(path)?.[1];
  if (inPath !== undefined) return decodeURIComponent(inPath);
  const started = isObject(responseBody) ? responseBody.sessionId : undefined;
  return typeof started === 'string' ? started : null;
}

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The user's message of a request body, as a transcript message; null when it has none. */
function userMessage(requestBody: unknown, fallbackSequence: number): JsonObject | null {
  if (!isObject(requestBody) || !isObject(requestBody.message)) return null;
  const message = requestBody.message;
  const sequenceId = typeof message.sequenceId === 'number' ? message.sequenceId : fallbackSequence;
  // A choice is recorded with what identifies it (index, id or alias) as its text when it has no text.
  const choice = message.choiceAlias ?? message.choiceId ?? message.choiceIndex;
  const text = typeof message.text === 'string' ? message.text : choice === undefined || choice === null ? undefined : String(choice);
  return { ...message, type: typeof message.type === 'string' ? message.type : 'text', sender: 'User', sequenceId, ...(text === undefined ? {} : { text }) };
}

function answered(response: JsonObject): number {
  const ids = Array.isArray(response.processedSequenceIds) ? response.processedSequenceIds.filter((n): n is number => typeof n === 'number') : [];
  return ids.length > 0 ? Math.max(...ids) : 0;
}

/** The ingest item an exchange makes; null when it says nothing about a session (an error, `/status`). */
export function recordingOf(exchange: Exchange): Recording | null {
  if (exchange.status < 200 || exchange.status >= 300 || !isObject(exchange.responseBody)) return null;
  const response = exchange.responseBody;
  const method = exchange.method.toUpperCase();
  const botMessages = Array.isArray(response.messages) ? response.messages : [];
  let sessionId: string | undefined;
  const params = new Map<string, string>();
  const start = method === 'POST' ? START.exec(exchange.path) : null;
  const messages = method === 'POST' ? MESSAGES.exec(exchange.path) : null;
  const end = method === 'DELETE' ? SESSION.exec(exchange.path) : null;
  let user: JsonObject | null = null;
  let extra: JsonValue[] = [];
  if (start) {
    params.set('botId', decodeURIComponent(start[1]!));
    user = userMessage(exchange.requestBody, answered(response));
  } else if (messages) {
    sessionId = decodeURIComponent(messages[1]!);
    user = userMessage(exchange.requestBody, answered(response));
  } else if (end) {
    sessionId = decodeURIComponent(end[1]!);
    // The end is the session's whatever the body says: a response without a sessionEnded message gets one.
    if (!botMessages.some((m) => isObject(m) && m.type === 'sessionEnded')) {
      extra = [{ type: 'sessionEnded', reason: exchange.endReason ?? 'ClientRequest' }];
    }
  } else {
    return null;
  }
  if (sessionId !== undefined) params.set('sessionId', sessionId);
  const names = Array.isArray(response.processedSequenceIds) && response.processedSequenceIds.length > 0;
  const document: JsonObject = {
    ...response,
    // A response names the user message it answers. One that names none is placed: a start, at the
    // first message; an end, after everything (clients number messages upward, often in epoch ms).
    processedSequenceIds: names ? (response.processedSequenceIds as JsonValue[]) : [end ? Date.now() : answered(response)],
    messages: [...(user === null ? [] : [user]), ...botMessages, ...extra],
  };
  return { document, params };
}
