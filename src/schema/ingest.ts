// Ingest through GraphQL, for partners that only speak GraphQL: one mutation per ingest route, each
// taking a list of typed inputs that mirror the vendor's document field by field (generated from the
// vendor model, ./vendor-model.ts, which says where they are looser than GraphQL could be), and
// returning the same report as the HTTP route. The inputs only give the documents a typed shape; the
// route's own validator still decides, item by item, what is stored.
import { GraphQLInputObjectType, GraphQLList, GraphQLNonNull, type GraphQLInputType, type GraphQLResolveInfo } from 'graphql';
import { jsonBytes } from '../ingest/body.js';
import { ingestHandlers } from '../ingest/handlers.js';
import { unavailableError } from '../answers.js';
import { DatabaseUnavailableError } from '../db/faults.js';
import { tenantBusyError } from '../security/tenant-share-plugin.js';
import { TenantBusyError } from '../security/tenant-work.js';
import { ingestItems, MAX_LISTED_REJECTIONS, type FullReport, type ItemCounts } from '../ingest/pipeline.js';
import { INGEST_ROUTES, type IncomingItem, type IngestRoute, type Rejection } from '../ingest/types.js';
import type { InputObjectRef } from '@pothos/core';
import { ChatlayerFlatSession, ChatlayerWebhookEventInputModel } from '../vendors/chatlayer/model.js';
import { EinsteinBotSession } from '../vendors/einstein/model.js';
import { BotFlowSession, ReportingTurn } from '../vendors/genesys-bot-flow/model.js';
import { JourneySession } from '../vendors/genesys-journey/model.js';
import { builder } from './builder.js';
import { vendorInput } from './vendor-model.js';
import { VENDOR_DOCUMENTS } from './argument-values.js';
import { ErrorCode, userError } from './errors.js';

/**
 * Items per mutation call. A GraphQL request is parsed and coerced whole, in memory, before a resolver
 * runs; bulk loads belong on the HTTP routes' streamed NDJSON or the import CLI.
 */
export const MAX_MUTATION_ITEMS = 1000;

// ---- the report ----

type Report = FullReport;

const IngestRejectionRef = builder.objectRef<Rejection>('IngestRejection').implement({
  description: 'Why one item of an ingest call was not stored.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position of the item in the list sent (0-based).' }),
    path: t.exposeString('path', {
      description: 'JSONPath into the item of the field at fault, `$` for the item itself, e.g. `$.messages[1].sequenceId`.',
    }),
    message: t.exposeString('message', { description: 'The reason, in plain English.' }),
  }),
});

const IngestReportRef = builder.objectRef<Report>('IngestReport').implement({
  description:
    'What an ingest call did: the same report as the HTTP ingest routes. Good items are stored even when others in the same call are rejected; no item is ever half-written.',
  fields: (t) => ({
    accepted: t.exposeInt('accepted', { description: 'created + updated + unchanged.' }),
    created: t.exposeInt('created', { description: 'Items that created a session (or, for turns and webhook events, stored new messages).' }),
    updated: t.exposeInt('updated', { description: 'Items that changed what was stored.' }),
    unchanged: t.exposeInt('unchanged', {
      description: 'Replays, and snapshots older than what is stored (an older snapshot never overwrites a newer one).',
    }),
    pending: t.exposeInt('pending', {
      description:
        'Of the accepted items, those whose messages wait for their session (a reporting turn that came first); they are attached when it comes, or expire (see README).',
    }),
    rejectedCount: t.exposeInt('rejectedCount', { description: 'Items rejected; `rejected` may list several reasons for one item.' }),
    warningCount: t.exposeInt('warningCount', { description: "Items stored although the vendor's model requires something they lack." }),
    warnings: t.field({
      type: [IngestRejectionRef],
      description: `What accepted items lack of what the vendor's model requires (at most ${String(MAX_LISTED_REJECTIONS)} entries; \`warningCount\` is always complete).`,
      resolve: (report) => report.warnings,
    }),
    rejected: t.field({
      type: [IngestRejectionRef],
      description: `Every reason an item was rejected (at most ${String(MAX_LISTED_REJECTIONS)} entries; \`rejectedCount\` is always complete).`,
      resolve: (report) => report.rejected,
    }),
  }),
});

// ---- the inputs: one per vendor document, generated from its model (./vendor-model.ts) ----

const GenesysBotFlowSessionInput = vendorInput(BotFlowSession);
const GenesysReportingTurnInput = vendorInput(ReportingTurn);
const GenesysJourneySessionInput = vendorInput(JourneySession);
const EinsteinBotSessionInput = vendorInput(EinsteinBotSession);
const ChatlayerSessionInput = vendorInput(ChatlayerFlatSession);
const ChatlayerWebhookEventInput = vendorInput(ChatlayerWebhookEventInputModel);
// ---- input -> vendor document ----

/**
 * The plain vendor document an input value stands for. Typed GraphQL clients commonly send every field
 * of an input, null where unset, and GraphQL passes those nulls on; the validators rightly treat null as
 * a wrong type (the vendors omit fields, they do not send null). So null fields of input objects are
 * dropped, at every depth, as if omitted. Walked by the argument's GraphQL type so that JSON scalar
 * values pass through untouched: a null inside Chatlayer `variables` is the caller's data.
 */
export function toVendorDocument(value: unknown, type: GraphQLInputType): unknown {
  if (type instanceof GraphQLNonNull) return toVendorDocument(value, type.ofType as GraphQLInputType);
  if (value === null || value === undefined) return value;
  if (type instanceof GraphQLList) {
    const itemType = type.ofType as GraphQLInputType;
    // GraphQL coerces a single value given for a list into a one-item list, so this is an array.
    return (Array.isArray(value) ? value : [value]).map((item: unknown) => toVendorDocument(item, itemType));
  }
  if (type instanceof GraphQLInputObjectType && typeof value === 'object') {
    const fields = type.getFields();
    const document: Record<string, unknown> = {};
    for (const [name, fieldValue] of Object.entries(value)) {
      const field = fields[name];
      if (field === undefined || fieldValue === null || fieldValue === undefined) continue;
      document[name] = toVendorDocument(fieldValue, field.type);
    }
    return document;
  }
  return value;
}

/** Epoch milliseconds arrive as a string of digits (see WEBHOOK_TIMESTAMP); the webhook's form is a number. */
function epochMillisAsNumber(timestamp: unknown): unknown {
  return typeof timestamp === 'string' && /^[0-9]{1,16}$/.test(timestamp) ? Number(timestamp) : timestamp;
}

function webhookTimestamps(document: unknown): unknown {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return document;
  const event = { ...(document as Record<string, unknown>) };
  if ('timestamp' in event) event.timestamp = epochMillisAsNumber(event.timestamp);
  for (const list of ['messages', 'transcript'] as const) {
    const items = event[list];
    if (!Array.isArray(items)) continue;
    event[list] = items.map((item: unknown) =>
      item !== null && typeof item === 'object' && 'timestamp' in item
        ? { ...item, timestamp: epochMillisAsNumber((item as { timestamp: unknown }).timestamp) }
        : item,
    );
  }
  return event;
}

function argumentType(info: GraphQLResolveInfo, argName: string): GraphQLInputType {
  const arg = info.parentType.getFields()[info.fieldName]?.args.find((a) => a.name === argName);
  if (!arg) throw new Error(`${info.parentType.name}.${info.fieldName} has no argument ${argName}`);
  return arg.type;
}

// ---- the mutations ----

// Every mutation ingests: it needs the `ingest` scope.
builder.mutationType({ authScopes: { ingest: true } });

interface IngestMutation {
  route: IngestRoute;
  argName: string;
  /** What one item is, for the messages: "session", "turn", "event". */
  noun: string;
  description: string;
  adjust?: (document: unknown) => unknown;
  /** Arguments beside the list that apply to every item (the HTTP route's query parameters). */
  params?: Record<string, string>;
}

type ItemInput = InputObjectRef<typeof builder.$inferSchemaTypes, Record<string, unknown>>;

function defineIngestMutation(name: string, input: ItemInput, { route, argName, noun, description, adjust, params = {} }: IngestMutation): void {
  builder.mutationField(name, (t) =>
    t.field({
      type: IngestReportRef,
      description: `${description} The same as \`POST ${INGEST_ROUTES[route]}\`; at most ${String(MAX_MUTATION_ITEMS)} ${noun}s per call.`,
      args: {
        // The items are vendor documents: validated item by item (src/vendors/validation.ts), not refused whole.
        [argName]: t.arg({ type: [input], required: true, extensions: VENDOR_DOCUMENTS }),
        ...Object.fromEntries(Object.entries(params).map(([name, about]) => [name, t.arg.string({ description: about })])),
      },
      resolve: async (_root, args, ctx, info) => {
        const list = args[argName];
        if (!Array.isArray(list)) throw new Error(`argument ${argName} is not a list`);
        if (list.length > MAX_MUTATION_ITEMS) {
          throw userError(
            ErrorCode.BAD_USER_INPUT,
            `At most ${String(MAX_MUTATION_ITEMS)} ${noun}s per call (got ${String(list.length)}): split the list, or send bulk data as NDJSON to POST ${INGEST_ROUTES[route]}.`,
            { maxItems: MAX_MUTATION_ITEMS },
          );
        }
        const itemType = argumentType(info, argName);
        const documents = toVendorDocument(list, itemType) as unknown[];
        const items: IncomingItem[] = documents.map((document, index) => {
          const value = adjust ? adjust(document) : document;
          return { index, value, bytes: jsonBytes(value) };
        });
        const context = new Map<string, string>();
        for (const name of Object.keys(params)) {
          const value: unknown = args[name];
          if (typeof value === 'string' && value !== '') context.set(name, value);
        }
        try {
          const deps = {
            prisma: ctx.prisma,
            chunks: ctx.work.ingest,
            events: ctx.events,
            tenantId: ctx.auth.tenantId,
            logError: ctx.logError,
            onItems: (counts: ItemCounts) => ctx.metrics.countItems(route, counts),
          };
          return await ingestItems(deps, ingestHandlers[route], items, {
            context: { params: context },
          });
        } catch (error) {
          if (error instanceof TenantBusyError) throw tenantBusyError(error);
          if (!(error instanceof DatabaseUnavailableError)) throw error;
          // Not a rejection: nothing of the chunk in flight was stored, and the call should be retried.
          throw unavailableError(
            'The database is unavailable; nothing of the chunk in flight was stored. Retry: ingest is idempotent.',
            error.retryAfterSeconds,
          );
        }
      },
    }),
  );
}

defineIngestMutation('ingestGenesysBotFlowSessions', GenesysBotFlowSessionInput, {
  route: 'genesys.botFlowSessions',
  argName: 'sessions',
  noun: 'session',
  description: 'Stores Genesys Cloud bot flow sessions, each optionally with its reporting turns (which become its messages).',
});

defineIngestMutation('ingestGenesysReportingTurns', GenesysReportingTurnInput, {
  route: 'genesys.reportingTurns',
  argName: 'turns',
  noun: 'turn',
  description:
    'Stores Genesys Cloud reporting turns as messages of their session (`sessionId`); a turn whose session has not arrived yet is kept and attached when it comes.',
});

defineIngestMutation('ingestGenesysJourneySessions', GenesysJourneySessionInput, {
  route: 'genesys.journeySessions',
  argName: 'sessions',
  noun: 'session',
  description: 'Stores Genesys Cloud customer journey sessions, linked to their conversation.',
});

defineIngestMutation('ingestEinsteinSessions', EinsteinBotSessionInput, {
  route: 'einstein.sessions',
  argName: 'sessions',
  noun: 'session',
  description:
    "Stores Salesforce Einstein Bot sessions with their messages: session records, and Bot Runtime API v5 response bodies as Salesforce sends them (the bot's messages join the session, which they may end or escalate).",
  params: {
    botId: "The bot of every item that names none (a runtime response to a message); the stored session's is used when it exists.",
    sessionId: 'The session of every item that names none, in the document or its `_links`.',
  },
});

defineIngestMutation('ingestChatlayerSessions', ChatlayerSessionInput, {
  route: 'chatlayer.sessions',
  argName: 'sessions',
  noun: 'session',
  description: 'Stores Chatlayer session data snapshots: a newer snapshot updates its session, and each new `messageContent` becomes a user message.',
});

defineIngestMutation('ingestChatlayerWebhookEvents', ChatlayerWebhookEventInput, {
  route: 'chatlayer.webhook',
  argName: 'events',
  noun: 'event',
  description: "Stores Chatlayer offloading-webhook events: `messages` add to the session's transcript, `offload` marks it transferred.",
  adjust: webhookTimestamps,
});
