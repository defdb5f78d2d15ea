// JSON Schema (2020-12) of the Chatlayer documents Parley ingests, written from ./native.ts: session data
// in either accepted form, and the offloading webhook's two events.
// Open strings where Chatlayer's values vary (version, messageType, actor): unknown values are kept raw.
// No `additionalProperties: false` anywhere: fields Chatlayer adds are kept, not rejected.
// `epochMillis` is Parley's keyword (../validation.ts); dates are `format: date-time` as tightened there.
import type { SchemaObject } from 'ajv';

const string = { type: 'string' } as const;
const number = { type: 'number' } as const;
/** Anything JSON; the hygiene pass in ../validation.ts has already checked it is storable. */
const jsonObject = { type: 'object' } as const;

const score = {
  type: 'object',
  properties: { name: string, score: number },
  required: ['name', 'score'],
} as const;

const dialogState = {
  type: 'object',
  properties: { name: string, id: string, type: string },
} as const;

const internalProperties = {
  botId: string,
  sessionId: { type: 'string', minLength: 1 },
  version: string,
  channel: string,
  user: { type: 'object', properties: { firstName: string, lastName: string } },
  preferredLanguage: string,
  locale: string,
  nlp: {
    type: 'object',
    properties: {
      expression: string,
      intent: score,
      entities: { type: 'array' },
      intents: { type: 'array', items: score },
      sentiment: score,
    },
  },
  currentDialogstate: dialogState,
  previousDialogstate: dialogState,
  currentDialogState: dialogState,
  previousDialogState: dialogState,
  messageContent: string,
  messageType: string,
} as const;

/** Form (a): the read-only fields at the top, as in the seed's example, optionally with `variables`. */
export const chatlayerFlatSessionSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Chatlayer session data (flat)',
  type: 'object',
  properties: { ...internalProperties, variables: jsonObject },
  required: ['botId', 'sessionId'],
} as const satisfies SchemaObject;

/** Form (b): `{ internal, variables }`, as bots address the fields (`internal.[fieldName]`). */
export const chatlayerWrappedSessionSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Chatlayer session data (internal + variables)',
  type: 'object',
  properties: {
    internal: { type: 'object', properties: internalProperties, required: ['botId', 'sessionId'] },
    variables: jsonObject,
  },
  required: ['internal'],
} as const satisfies SchemaObject;

const timestamp = { type: ['string', 'integer'], format: 'date-time', epochMillis: true } as const;

const webhookMessage = {
  type: 'object',
  properties: {
    actor: string,
    message: { type: ['string', 'object'] },
    timestamp,
  },
  required: ['actor', 'message'],
} as const;

const eventBaseProperties = {
  event: string,
  botId: string,
  version: string,
  sessionId: { type: 'string', minLength: 1 },
  channel: string,
  timestamp,
} as const;

export const chatlayerMessagesEventSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Chatlayer offloading webhook: messages event',
  type: 'object',
  properties: { ...eventBaseProperties, messages: { type: 'array', items: webhookMessage } },
  required: ['event', 'botId', 'version', 'sessionId', 'messages'],
} as const satisfies SchemaObject;

export const chatlayerOffloadEventSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Chatlayer offloading webhook: offload event',
  type: 'object',
  properties: { ...eventBaseProperties, transcript: { type: 'array', items: webhookMessage }, payload: jsonObject },
  required: ['event', 'botId', 'version', 'sessionId'],
} as const satisfies SchemaObject;
