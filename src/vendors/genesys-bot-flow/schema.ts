// JSON Schema (2020-12) of the Genesys bot flow documents Parley ingests, written from ./native.ts.
// Enum-typed fields are plain strings: Genesys adds values over time and Parley keeps unknown ones raw.
// No `additionalProperties: false` anywhere: fields Genesys adds are kept, not rejected.
// Dates are `format: date-time` as ../validation.ts tightens it (parseable, 1970-2199).
// `required` is the SDK's; validation only insists on the session's (or turn's) own id and reports the
// rest as warnings (./validate.ts).
import type { SchemaObject } from 'ajv';

const string = { type: 'string' } as const;
const number = { type: 'number' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const strings = { type: 'array', items: string } as const;

const addressableEntityRef = {
  type: 'object',
  properties: { id: string, selfUri: string },
} as const;

const botChannel = {
  type: 'object',
  properties: {
    name: string,
    inputModes: strings,
    outputModes: strings,
    userAgent: { type: 'object', properties: { name: string }, required: ['name'] },
  },
  required: ['name', 'inputModes', 'outputModes', 'userAgent'],
} as const;

const knowledgeDocument = {
  type: 'object',
  properties: { id: string, question: string, answer: string, confidence: number },
} as const;
const knowledgeDocuments = { type: 'array', items: knowledgeDocument } as const;

const reportingTurnProperties = {
  userInput: string,
  botPrompts: strings,
  sessionId: { type: 'string', minLength: 1 },
  conversation: addressableEntityRef,
  askAction: {
    type: 'object',
    properties: { actionId: string, actionName: string, actionNumber: number, actionType: string },
  },
  intent: {
    type: 'object',
    properties: {
      name: string,
      id: string,
      confidence: number,
      slots: {
        type: 'array',
        items: { type: 'object', properties: { name: string, value: string, type: string, confidence: number } },
      },
    },
  },
  knowledge: {
    type: 'object',
    properties: {
      knowledgeBaseId: string,
      feedback: { type: 'object', properties: { searchId: string, rating: number, documents: knowledgeDocuments } },
      search: { type: 'object', properties: { searchId: string, documents: knowledgeDocuments, query: string } },
    },
  },
  knowledgeBaseEvents: {
    type: 'object',
    properties: {
      search: {
        type: 'array',
        items: {
          type: 'object',
          properties: { searchId: string, knowledgeBaseId: string, documents: knowledgeDocuments, searchQuery: string, answerDocumentId: string },
        },
      },
      feedback: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            searchId: string,
            knowledgeBaseId: string,
            documents: knowledgeDocuments,
            feedbackRating: number,
            documentVariationId: string,
            documentVersionId: string,
          },
        },
      },
    },
  },
  dateCreated: dateTime,
  dateCompleted: dateTime,
  askActionResult: string,
  sessionEndDetails: { type: 'object', properties: { type: string, reason: string } },
} as const;

/** A turn inside a session document (`turns`): it belongs to that session, so `sessionId` may be left out. */
export const embeddedReportingTurnSchema = {
  type: 'object',
  properties: reportingTurnProperties,
} as const satisfies SchemaObject;

/** A turn on its own (`POST /ingest/genesys/reporting-turns`): only its `sessionId` says where it belongs. */
export const reportingTurnSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Genesys Cloud ReportingTurn',
  type: 'object',
  properties: reportingTurnProperties,
  required: ['sessionId'],
} as const satisfies SchemaObject;

/** A BotFlowSession, optionally with Parley's `turns` (see BotFlowSessionWithTurns). */
export const botFlowSessionSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Genesys Cloud BotFlowSession',
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1 },
    flow: { type: 'object', properties: { id: string } },
    channel: botChannel,
    language: string,
    endLanguage: string,
    botResult: string,
    botResultCategory: string,
    dateCreated: dateTime,
    dateCompleted: dateTime,
    conversation: addressableEntityRef,
    turns: { type: 'array', items: embeddedReportingTurnSchema },
  },
  required: ['id'],
} as const satisfies SchemaObject;
