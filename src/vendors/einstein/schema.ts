// Seed 001's JSON Schema ("Einstein Bot Session", draft 2020-12), as given, with two deliberate changes:
//
// 1. Every `enum` (status, message type, sender) is opened to any string, its values kept as
//    `examples`. Issue 3: "unknown vendor enum values are stored raw and mapped to UNKNOWN, not
//    rejected"; Salesforce adds values, and rejecting them would lose whole sessions.
// 2. As a consequence, the runtime API v5's lowercase message types (`text`, `choices`, `escalate`,
//    `sessionEnded`; DESIGN.md) are accepted too; they are listed beside the seed's in `examples`.
//
// `required`, types and `format: date-time` are unchanged. What Parley needs beyond the seed (safe
// integer sequenceIds, unique sequences, parseable dates) is checked in ./validate.ts and
// ../validation.ts, not written into this schema, so it stays comparable with the seed.
import type { SchemaObject } from 'ajv';

export const einsteinSessionSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/api-search/salesforce-einstein/json-schema/salesforce-einstein-bot-session-schema.json',
  title: 'Einstein Bot Session',
  description: 'Represents a conversational session with an Einstein Bot, including messages, status, and session metadata.',
  type: 'object',
  properties: {
    sessionId: {
      type: 'string',
      description: 'Unique session identifier.',
    },
    botId: {
      type: 'string',
      description: 'ID of the Einstein Bot handling the session.',
    },
    status: {
      type: 'string',
      description: 'Current status of the session.',
      examples: ['Active', 'Ended', 'Transferred'],
    },
    createdDate: {
      type: 'string',
      format: 'date-time',
      description: 'Timestamp when the session was created.',
    },
    lastActiveDate: {
      type: 'string',
      format: 'date-time',
      description: 'Timestamp of the last activity in the session.',
    },
    externalSessionKey: {
      type: 'string',
      description: 'External key associated with the session.',
    },
    messages: {
      type: 'array',
      description: 'Messages exchanged during the session.',
      items: {
        $ref: '#/$defs/BotMessage',
      },
    },
    sessionEnded: {
      type: 'boolean',
      description: 'Whether the session has ended.',
    },
  },
  required: ['sessionId', 'botId', 'status'],
  $defs: {
    BotMessage: {
      type: 'object',
      description: 'A message in an Einstein Bot conversation.',
      properties: {
        type: {
          type: 'string',
          description: 'Type of bot message.',
          examples: ['Text', 'Choices', 'Transfer', 'EscalateToAgent', 'SessionEnded', 'text', 'choices', 'escalate', 'sessionEnded'],
        },
        text: {
          type: 'string',
          description: 'Text content of the message.',
        },
        sender: {
          type: 'string',
          description: 'Who sent the message.',
          examples: ['User', 'Bot'],
        },
        choices: {
          type: 'array',
          description: 'Available choices for choice-type messages.',
          items: {
            type: 'object',
            properties: {
              label: {
                type: 'string',
              },
              value: {
                type: 'string',
              },
              index: {
                type: 'integer',
              },
            },
            required: ['label'],
          },
        },
        sequenceId: {
          type: 'integer',
          description: 'Message sequence number.',
        },
        timestamp: {
          type: 'string',
          format: 'date-time',
          description: 'Timestamp when the message was sent.',
        },
      },
      required: ['type'],
    },
  },
} as const satisfies SchemaObject;
