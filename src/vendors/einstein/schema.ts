// Seed 001's JSON Schema ("Einstein Bot Session"), as given, with these deliberate changes:
//
// 1. Every `enum` (status, message type, sender) is opened to any string, its values kept as
//    `examples`: Salesforce adds values, and rejecting them would lose whole sessions.
// 2. The Bot Runtime API v5 response envelope and message fields are added beside the seed's
//    (botVersion, processedSequenceIds, variables, metrics, intents, entities, _links; message id,
//    reason, schedule, widget, targets, feedbackId; choice alias and id), from Salesforce's OpenAPI
//    specs (forcedotcom/einstein-bot-sdk-java, src/main/resources/v5_*_api_specs.yml).
// 3. `required` stays as the seed wrote it, but validation only insists on what Parley cannot do
//    without (./validate.ts): a runtime response has no `status` and often no `botId`, and an item
//    that lacks what the seed requires is stored as sent, with a warning.
//
// Types and `format: date-time` are unchanged. What Parley needs beyond the seed (safe integer
// sequenceIds, parseable dates, a session id from the document or its links) is checked in
// ./validate.ts and ../validation.ts, not written into this schema, so it stays comparable with the seed.
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
    botVersion: {
      type: 'string',
      description: 'Runtime API: the version of the bot that answered.',
    },
    processedSequenceIds: {
      type: 'array',
      description: 'Runtime API: the sequenceIds of the user messages this response answers.',
      items: { type: 'integer', safeInteger: true },
    },
    variables: {
      type: 'array',
      description: 'Runtime API: context variables, when the request asked for them.',
      items: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' } } },
    },
    metrics: { type: 'object', description: 'Runtime API: metrics, when the request asked for them.' },
    intents: { type: 'array', description: 'Runtime API: the intents recognised, when the request asked for them.' },
    entities: { type: 'array', description: 'Runtime API: the entities recognised, when the request asked for them.' },
    _links: {
      type: 'object',
      description: 'Runtime API: links to the session (`self` of a start response holds the bot id).',
      properties: {
        self: { $ref: '#/$defs/Link' },
        messages: { $ref: '#/$defs/Link' },
        session: { $ref: '#/$defs/Link' },
      },
    },
    orgId: { type: 'string', description: 'Runtime API v4: the org id.' },
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
    Link: {
      type: 'object',
      properties: { href: { type: 'string' } },
      required: ['href'],
    },
    BotMessage: {
      type: 'object',
      description: 'A message in an Einstein Bot conversation.',
      properties: {
        type: {
          type: 'string',
          description: 'Type of bot message.',
          examples: ['Text', 'Choices', 'Transfer', 'EscalateToAgent', 'SessionEnded', 'text', 'choices', 'escalate', 'sessionEnded'],
        },
        id: {
          type: 'string',
          description: "Runtime API: the message's id.",
        },
        reason: {
          type: 'string',
          description: 'Runtime API `sessionEnded`: why the session ended.',
          examples: ['ClientRequest', 'TransferFailedNotConfigured', 'Action', 'Error', 'InfiniteLoopDetected'],
        },
        schedule: {
          type: 'object',
          description: 'Runtime API: when the client should show the message.',
          properties: { responseDelayMilliseconds: { type: 'integer', safeInteger: true } },
          required: ['responseDelayMilliseconds'],
        },
        widget: {
          type: 'string',
          description: 'Runtime API `choices`: how to show the choices.',
          examples: ['buttons', 'menu'],
        },
        targets: {
          type: 'array',
          description: 'Runtime API `escalate`: where to transfer the session.',
          items: {
            type: 'object',
            properties: { type: { type: 'string' }, value: { type: 'string' } },
            required: ['type', 'value'],
          },
        },
        feedbackId: {
          type: 'string',
          description: 'Runtime API v5.3: the id to send feedback about this message with.',
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
                safeInteger: true,
              },
              alias: {
                type: 'string',
              },
              id: {
                type: 'string',
              },
            },
            required: ['label'],
          },
        },
        sequenceId: {
          type: 'integer',
          safeInteger: true,
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
