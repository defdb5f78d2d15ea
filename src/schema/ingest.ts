// Ingest through GraphQL, for partners that only speak GraphQL: one mutation per ingest route, each
// taking a list of typed inputs that mirror the vendor's native model field by field, and returning the
// same report as the HTTP route (DESIGN.md "Ingest (contract)"). The inputs only give the documents a
// typed shape; the route's own validator still decides, item by item, what is stored.
//
// Deliberately loose where GraphQL would be stricter than the vendor:
// - vendor enums are `String`: a value the vendor adds later must be stored raw (resolving to UNKNOWN),
//   not refused by GraphQL together with the whole batch;
// - dates are `String` as the vendor sends them: a DateTime scalar would reformat them, and the
//   validator already checks them with a path;
// - free-form vendor values (Chatlayer `user`/`variables`, NLP entities, journey attribute maps, webhook
//   message bodies) are `JSON`/`JSONObject`.
// Integers the vendor schemas call `integer` are `SafeInt` (GraphQL's Int is 32-bit; Einstein sequenceIds
// are int64); vendor `number`s are `Float`.
import {
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  type GraphQLInputType,
  type GraphQLResolveInfo,
} from 'graphql';
import { ingestHandlers } from '../ingest/handlers.js';
import { GraphQLError } from 'graphql';
import { DatabaseUnavailableError } from '../db/faults.js';
import { ingestItems, MAX_LISTED_REJECTIONS, type FullReport, type ItemCounts } from '../ingest/pipeline.js';
import { INGEST_ROUTES, type IncomingItem, type IngestRoute, type Rejection } from '../ingest/types.js';
import type { InputObjectRef } from '@pothos/core';
import { ChatlayerFlatSession, ChatlayerWebhookEventInputModel } from '../vendors/chatlayer/model.js';
import { EinsteinBotSession } from '../vendors/einstein/model.js';
import { builder } from './builder.js';
import { vendorInput } from './vendor-model.js';
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
      description: 'Of the accepted items, those whose messages wait for their session (a reporting turn that came first); they are attached when it comes, or expire (see README).',
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

// ---- field helpers: the conventions of every input below, said once ----

const VENDOR_ENUM = 'Any string: a value Parley does not know yet is stored raw and resolves to UNKNOWN.';
const DATE = 'ISO 8601 date-time, exactly as the vendor sends it.';

// ---- Genesys Cloud (shared by bot flows and journeys) ----

const GenesysAddressableEntityRefInput = builder.inputType('GenesysAddressableEntityRefInput', {
  description: 'Genesys Cloud `AddressableEntityRef`: a reference to another Genesys entity (a conversation, a user...).',
  fields: (t) => ({
    id: t.string(),
    selfUri: t.string(),
  }),
});

// ---- Genesys Cloud bot flows ----

const GenesysEntityInput = builder.inputType('GenesysEntityInput', {
  description: 'Genesys Cloud `Entity`: a bare reference (the bot flow of a session).',
  fields: (t) => ({
    id: t.string(),
  }),
});

const GenesysTextBotUserAgentInput = builder.inputType('GenesysTextBotUserAgentInput', {
  description: 'Genesys Cloud `TextBotUserAgent`.',
  fields: (t) => ({
    name: t.string({ description: `\`TextBotUserAgent.name\` (Phone, SMS, GenesysWebWidget...). ${VENDOR_ENUM}` }),
  }),
});

const GenesysBotChannelInput = builder.inputType('GenesysBotChannelInput', {
  description: 'Genesys Cloud `BotChannel`: the channel a bot flow session ran on.',
  fields: (t) => ({
    name: t.string({ description: `Chat, Call, Messaging... ${VENDOR_ENUM}` }),
    inputModes: t.stringList({ description: `Text, Voice, DTMF... ${VENDOR_ENUM}` }),
    outputModes: t.stringList({ description: `Text, Voice... ${VENDOR_ENUM}` }),
    userAgent: t.field({ type: GenesysTextBotUserAgentInput }),
  }),
});

const GenesysReportingTurnActionInput = builder.inputType('GenesysReportingTurnActionInput', {
  description: 'Genesys Cloud `ReportingTurnAction`: the flow action that asked for the user input.',
  fields: (t) => ({
    actionId: t.string(),
    actionName: t.string(),
    actionNumber: t.float(),
    actionType: t.string({ description: `\`ReportingTurnAction.actionType\` (AskForNLUIntentAction...). ${VENDOR_ENUM}` }),
  }),
});

const GenesysReportingTurnIntentSlotInput = builder.inputType('GenesysReportingTurnIntentSlotInput', {
  description: 'Genesys Cloud `ReportingTurnIntentSlot`.',
  fields: (t) => ({
    name: t.string(),
    value: t.string(),
    type: t.string(),
    confidence: t.float(),
  }),
});

const GenesysReportingTurnIntentInput = builder.inputType('GenesysReportingTurnIntentInput', {
  description: 'Genesys Cloud `ReportingTurnIntent`.',
  fields: (t) => ({
    name: t.string(),
    id: t.string(),
    confidence: t.float(),
    slots: t.field({ type: [GenesysReportingTurnIntentSlotInput] }),
  }),
});

const GenesysReportingTurnKnowledgeDocumentInput = builder.inputType('GenesysReportingTurnKnowledgeDocumentInput', {
  description: 'Genesys Cloud `ReportingTurnKnowledgeDocument`.',
  fields: (t) => ({
    id: t.string(),
    question: t.string(),
    answer: t.string(),
    confidence: t.float(),
  }),
});

const GenesysReportingTurnKnowledgeFeedbackInput = builder.inputType('GenesysReportingTurnKnowledgeFeedbackInput', {
  description: 'Genesys Cloud `ReportingTurnKnowledgeFeedback`.',
  fields: (t) => ({
    searchId: t.string(),
    rating: t.float(),
    documents: t.field({ type: [GenesysReportingTurnKnowledgeDocumentInput] }),
  }),
});

const GenesysReportingTurnKnowledgeSearchInput = builder.inputType('GenesysReportingTurnKnowledgeSearchInput', {
  description: 'Genesys Cloud `ReportingTurnKnowledgeSearch`.',
  fields: (t) => ({
    searchId: t.string(),
    documents: t.field({ type: [GenesysReportingTurnKnowledgeDocumentInput] }),
    query: t.string(),
  }),
});

const GenesysReportingTurnKnowledgeInput = builder.inputType('GenesysReportingTurnKnowledgeInput', {
  description: 'Genesys Cloud `ReportingTurnKnowledge`.',
  fields: (t) => ({
    knowledgeBaseId: t.string(),
    feedback: t.field({ type: GenesysReportingTurnKnowledgeFeedbackInput }),
    search: t.field({ type: GenesysReportingTurnKnowledgeSearchInput }),
  }),
});

const GenesysReportingTurnKnowledgeSearchEventInput = builder.inputType('GenesysReportingTurnKnowledgeSearchEventInput', {
  description: 'Genesys Cloud `ReportingTurnKnowledgeSearchEvent`.',
  fields: (t) => ({
    searchId: t.string(),
    knowledgeBaseId: t.string(),
    documents: t.field({ type: [GenesysReportingTurnKnowledgeDocumentInput] }),
    searchQuery: t.string(),
    answerDocumentId: t.string(),
  }),
});

const GenesysReportingTurnKnowledgeFeedbackEventInput = builder.inputType('GenesysReportingTurnKnowledgeFeedbackEventInput', {
  description: 'Genesys Cloud `ReportingTurnKnowledgeFeedbackEvent`.',
  fields: (t) => ({
    searchId: t.string(),
    knowledgeBaseId: t.string(),
    documents: t.field({ type: [GenesysReportingTurnKnowledgeDocumentInput] }),
    feedbackRating: t.float(),
    documentVariationId: t.string(),
    documentVersionId: t.string(),
  }),
});

const GenesysReportingTurnKnowledgeEventsInput = builder.inputType('GenesysReportingTurnKnowledgeEventsInput', {
  description: 'Genesys Cloud `ReportingTurnKnowledgeEvents`.',
  fields: (t) => ({
    search: t.field({ type: [GenesysReportingTurnKnowledgeSearchEventInput] }),
    feedback: t.field({ type: [GenesysReportingTurnKnowledgeFeedbackEventInput] }),
  }),
});

const GenesysSessionEndDetailsInput = builder.inputType('GenesysSessionEndDetailsInput', {
  description: 'Genesys Cloud `SessionEndDetails`: present on the turn that ended the session.',
  fields: (t) => ({
    type: t.string({ description: `Disconnect or Exit. ${VENDOR_ENUM}` }),
    reason: t.string(),
  }),
});

const GenesysReportingTurnInput = builder.inputType('GenesysReportingTurnInput', {
  description:
    'Genesys Cloud `ReportingTurn` (analytics `reportingturns`): one bot turn; its prompts and user input become ordered messages of its session.',
  fields: (t) => ({
    userInput: t.string(),
    botPrompts: t.stringList(),
    sessionId: t.string({
      description:
        'The bot flow session of the turn. Required for `ingestGenesysReportingTurns`; inside a session\'s `turns` it may be left out (it must otherwise be that session\'s id).',
    }),
    conversation: t.field({ type: GenesysAddressableEntityRefInput }),
    askAction: t.field({ type: GenesysReportingTurnActionInput }),
    intent: t.field({ type: GenesysReportingTurnIntentInput }),
    knowledge: t.field({ type: GenesysReportingTurnKnowledgeInput }),
    knowledgeBaseEvents: t.field({ type: GenesysReportingTurnKnowledgeEventsInput }),
    dateCreated: t.string({ description: `${DATE} A turn needs this or \`dateCompleted\`: it orders the turn's messages.` }),
    dateCompleted: t.string({ description: DATE }),
    askActionResult: t.string({ description: `\`ReportingTurn.askActionResult\` (SuccessCollection...). ${VENDOR_ENUM}` }),
    sessionEndDetails: t.field({ type: GenesysSessionEndDetailsInput }),
  }),
});

const GenesysBotFlowSessionInput = builder.inputType('GenesysBotFlowSessionInput', {
  description:
    'Genesys Cloud `BotFlowSession` (analytics bot flow sessions API), optionally with its reporting turns in `turns` (Parley\'s addition: one item can carry a whole transcript).',
  fields: (t) => ({
    id: t.string({ required: true, description: "The session's id (its key in Parley)." }),
    flow: t.field({ type: GenesysEntityInput }),
    channel: t.field({ type: GenesysBotChannelInput }),
    language: t.string(),
    endLanguage: t.string(),
    botResult: t.string({ description: `\`BotFlowSession.botResult\` (ExitRequestedByUser, TransferToACD...). ${VENDOR_ENUM}` }),
    botResultCategory: t.string({ description: `\`BotFlowSession.botResultCategory\` (UserExit, Transfer...). ${VENDOR_ENUM}` }),
    dateCreated: t.string({ description: DATE }),
    dateCompleted: t.string({ description: DATE }),
    conversation: t.field({ type: GenesysAddressableEntityRefInput }),
    turns: t.field({ type: [GenesysReportingTurnInput], description: "The session's reporting turns, in any order." }),
  }),
});

// ---- Genesys Cloud customer journey ----

const GenesysAchievedOutcomeInput = builder.inputType('GenesysAchievedOutcomeInput', {
  description: 'Genesys Cloud `AchievedOutcome`.',
  fields: (t) => ({
    id: t.string(),
    selfUri: t.string(),
  }),
});

const GenesysOutcomeAchievementInput = builder.inputType('GenesysOutcomeAchievementInput', {
  description: 'Genesys Cloud `OutcomeAchievement`.',
  fields: (t) => ({
    outcome: t.field({ type: GenesysAchievedOutcomeInput }),
    achievedDate: t.string({ description: DATE }),
  }),
});

const GenesysAssignedSegmentInput = builder.inputType('GenesysAssignedSegmentInput', {
  description: 'Genesys Cloud `AssignedSegment`.',
  fields: (t) => ({
    id: t.string(),
    selfUri: t.string(),
  }),
});

const GenesysSessionSegmentAssignmentInput = builder.inputType('GenesysSessionSegmentAssignmentInput', {
  description: 'Genesys Cloud `SessionSegmentAssignment`.',
  fields: (t) => ({
    segment: t.field({ type: GenesysAssignedSegmentInput }),
    assignedDate: t.string({ description: DATE }),
  }),
});

const GenesysBrowserInput = builder.inputType('GenesysBrowserInput', {
  description: 'Genesys Cloud `Browser`.',
  fields: (t) => ({
    family: t.string(),
    version: t.string(),
    lang: t.string({ description: 'BCP 47.' }),
    fingerprint: t.string(),
    isMobile: t.boolean(),
    viewHeight: t.float(),
    viewWidth: t.float(),
    featuresFlash: t.boolean(),
    featuresJava: t.boolean(),
    featuresPdf: t.boolean(),
    featuresWebrtc: t.boolean(),
  }),
});

const GenesysDeviceInput = builder.inputType('GenesysDeviceInput', {
  description: 'Genesys Cloud `Device`.',
  fields: (t) => ({
    category: t.string({ description: `desktop, mobile, tablet, other. ${VENDOR_ENUM}` }),
    type: t.string(),
    isMobile: t.boolean(),
    screenHeight: t.float(),
    screenWidth: t.float(),
    screenDensity: t.float(),
    fingerprint: t.string(),
    osFamily: t.string(),
    osVersion: t.string(),
    manufacturer: t.string(),
  }),
});

const GenesysJourneyGeolocationInput = builder.inputType('GenesysJourneyGeolocationInput', {
  description: 'Genesys Cloud `JourneyGeolocation`.',
  fields: (t) => ({
    country: t.string(),
    countryName: t.string(),
    latitude: t.float(),
    longitude: t.float(),
    locality: t.string(),
    postalCode: t.string(),
    region: t.string(),
    regionName: t.string(),
    source: t.string(),
    timezone: t.string(),
  }),
});

const GenesysJourneyPageInput = builder.inputType('GenesysJourneyPageInput', {
  description: 'Genesys Cloud `JourneyPage`.',
  fields: (t) => ({
    url: t.string(),
    title: t.string(),
    domain: t.string(),
    fragment: t.string(),
    hostname: t.string(),
    keywords: t.string(),
    lang: t.string(),
    pathname: t.string(),
    queryString: t.string(),
    breadcrumb: t.stringList(),
  }),
});

const GenesysJourneyCampaignInput = builder.inputType('GenesysJourneyCampaignInput', {
  description: 'Genesys Cloud `JourneyCampaign`.',
  fields: (t) => ({
    content: t.string(),
    medium: t.string(),
    name: t.string(),
    source: t.string(),
    term: t.string(),
    clickId: t.string(),
    network: t.string(),
  }),
});

const GenesysReferrerInput = builder.inputType('GenesysReferrerInput', {
  description: 'Genesys Cloud `Referrer`.',
  fields: (t) => ({
    url: t.string(),
    domain: t.string(),
    hostname: t.string(),
    keywords: t.string(),
    pathname: t.string(),
    queryString: t.string(),
    fragment: t.string(),
    name: t.string(),
    medium: t.string({ description: `internal, search, social, email, paid, unknown. ${VENDOR_ENUM}` }),
  }),
});

const GenesysSessionLastEventInput = builder.inputType('GenesysSessionLastEventInput', {
  description: 'Genesys Cloud `SessionLastEvent`.',
  fields: (t) => ({
    id: t.string(),
    eventName: t.string(),
    createdDate: t.string({ description: DATE }),
  }),
});

const GenesysConnectedQueueInput = builder.inputType('GenesysConnectedQueueInput', {
  description: 'Genesys Cloud `ConnectedQueue`.',
  fields: (t) => ({
    id: t.string(),
    selfUri: t.string(),
  }),
});

const GenesysConnectedUserInput = builder.inputType('GenesysConnectedUserInput', {
  description: 'Genesys Cloud `ConnectedUser`.',
  fields: (t) => ({
    id: t.string(),
    selfUri: t.string(),
  }),
});

const GenesysConversationUserDispositionInput = builder.inputType('GenesysConversationUserDispositionInput', {
  description: 'Genesys Cloud `ConversationUserDisposition`.',
  fields: (t) => ({
    code: t.string(),
    notes: t.string(),
    user: t.field({ type: GenesysAddressableEntityRefInput }),
  }),
});

const GenesysConversationChannelInput = builder.inputType('GenesysConversationChannelInput', {
  description: 'Genesys Cloud `ConversationChannel`.',
  fields: (t) => ({
    type: t.string({ description: `Call, Messaging, Webchat... ${VENDOR_ENUM}` }),
    messageType: t.string({ description: `Sms, WhatsApp, WebMessaging... ${VENDOR_ENUM}` }),
    platform: t.string(),
  }),
});

const GenesysJourneyAppInput = builder.inputType('GenesysJourneyAppInput', {
  description: 'Genesys Cloud `JourneyApp`: the application of an app session.',
  fields: (t) => ({ name: t.string(), namespace: t.string(), version: t.string(), buildNumber: t.string() }),
});

const GenesysSdkLibraryInput = builder.inputType('GenesysSdkLibraryInput', {
  description: 'Genesys Cloud `SdkLibrary`.',
  fields: (t) => ({ name: t.string(), version: t.string() }),
});

const GenesysNetworkConnectivityInput = builder.inputType('GenesysNetworkConnectivityInput', {
  description: 'Genesys Cloud `NetworkConnectivity`.',
  fields: (t) => ({ carrier: t.string(), bluetoothEnabled: t.boolean(), cellularEnabled: t.boolean(), wifiEnabled: t.boolean() }),
});

const GenesysJourneyCaseAssociationInput = builder.inputType('GenesysJourneyCaseAssociationInput', {
  description: 'Genesys Cloud `JourneyCaseAssociation`.',
  fields: (t) => ({
    id: t.string(),
    associatedCase: t.field({ type: GenesysAddressableEntityRefInput }),
    caseReference: t.string(),
    dateAssociated: t.string({ description: DATE }),
    selfUri: t.string(),
  }),
});

const GenesysJourneySessionInput = builder.inputType('GenesysJourneySessionInput', {
  description:
    'Genesys Cloud customer journey `Session` (`GET /api/v2/journey/sessions/{sessionId}`), linked to its conversation by `conversation.id`.',
  fields: (t) => ({
    id: t.string({ required: true, description: "The session's id (its key in Parley)." }),
    customerId: t.string(),
    customerIdType: t.string(),
    type: t.string({ description: 'Session type: web, app, ticket...' }),
    externalId: t.string({ description: 'The id in the system the events came from (read back as `sourceExternalId`).' }),
    externalUrl: t.string(),
    shortId: t.string(),
    outcomeAchievements: t.field({ type: [GenesysOutcomeAchievementInput] }),
    segmentAssignments: t.field({ type: [GenesysSessionSegmentAssignmentInput] }),
    attributes: t.field({
      type: 'JSONObject',
      description: 'Genesys `Map<String, CustomEventAttribute>`: attribute name -> `{ dataType, value }`.',
    }),
    attributeLists: t.field({
      type: 'JSONObject',
      description: 'Genesys `Map<String, CustomEventAttributeList>`: attribute name -> `{ dataType, values }`.',
    }),
    browser: t.field({ type: GenesysBrowserInput }),
    device: t.field({ type: GenesysDeviceInput }),
    geolocation: t.field({ type: GenesysJourneyGeolocationInput }),
    ipAddress: t.string(),
    ipOrganization: t.string(),
    lastPage: t.field({ type: GenesysJourneyPageInput }),
    mktCampaign: t.field({ type: GenesysJourneyCampaignInput }),
    referrer: t.field({ type: GenesysReferrerInput }),
    searchTerms: t.stringList(),
    userAgentString: t.string(),
    durationInSeconds: t.field({ type: 'SafeInt' }),
    eventCount: t.field({ type: 'SafeInt' }),
    pageviewCount: t.field({ type: 'SafeInt' }),
    screenviewCount: t.field({ type: 'SafeInt' }),
    lastEvent: t.field({ type: GenesysSessionLastEventInput }),
    lastConnectedQueue: t.field({ type: GenesysConnectedQueueInput }),
    lastConnectedUser: t.field({ type: GenesysConnectedUserInput }),
    lastUserDisposition: t.field({ type: GenesysConversationUserDispositionInput }),
    conversationChannels: t.field({ type: [GenesysConversationChannelInput] }),
    originatingDirection: t.string({ description: `Inbound or Outbound. ${VENDOR_ENUM}` }),
    conversationSubject: t.string(),
    lastUserDisconnectType: t.string({ description: `Endpoint, Client, Transfer... ${VENDOR_ENUM}` }),
    lastAcdOutcome: t.string({ description: `Abandon, Answered, FlowOut. ${VENDOR_ENUM}` }),
    authenticated: t.boolean(),
    selfUri: t.string(),
    createdDate: t.string({ description: DATE }),
    endedDate: t.string({ description: DATE }),
    externalContact: t.field({ type: GenesysAddressableEntityRefInput }),
    awayDate: t.string({ description: DATE }),
    idleDate: t.string({ description: DATE }),
    conversation: t.field({ type: GenesysAddressableEntityRefInput }),
    app: t.field({ type: GenesysJourneyAppInput }),
    sdkLibrary: t.field({ type: GenesysSdkLibraryInput }),
    networkConnectivity: t.field({ type: GenesysNetworkConnectivityInput }),
    divisionIds: t.stringList(),
    lastScreen: t.string(),
    caseAssociations: t.field({ type: [GenesysJourneyCaseAssociationInput] }),
    caseEntity: t.field({ type: GenesysAddressableEntityRefInput }),
    caseReference: t.string(),
    caseStatus: t.string({ description: `Open, InProgress, Terminated, Closed. ${VENDOR_ENUM}` }),
  }),
});

// ---- Salesforce Einstein: from its model ----

const EinsteinBotSessionInput = vendorInput(EinsteinBotSession);

// ---- Chatlayer (Sinch): from its model ----

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

builder.mutationType({});

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

function defineIngestMutation(
  name: string,
  input: ItemInput,
  { route, argName, noun, description, adjust, params = {} }: IngestMutation,
): void {
  builder.mutationField(name, (t) =>
    t.field({
      type: IngestReportRef,
      description: `${description} The same as \`POST ${INGEST_ROUTES[route]}\`; at most ${String(MAX_MUTATION_ITEMS)} ${noun}s per call.`,
      args: {
        [argName]: t.arg({ type: [input], required: true }),
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
          return { index, value, bytes: Buffer.byteLength(JSON.stringify(value), 'utf8') };
        });
        const context = new Map<string, string>();
        for (const name of Object.keys(params)) {
          const value: unknown = args[name];
          if (typeof value === 'string' && value !== '') context.set(name, value);
        }
        try {
          const deps = { prisma: ctx.prisma, events: ctx.events, tenantId: ctx.auth.tenantId, onItems: (counts: ItemCounts) => ctx.metrics.countItems(route, counts) };
          return await ingestItems(deps, ingestHandlers[route], items, {
            context: { params: context },
          });
        } catch (error) {
          if (!(error instanceof DatabaseUnavailableError)) throw error;
          // Not a rejection: nothing of the chunk in flight was stored, and the call should be retried.
          throw new GraphQLError('The database is unavailable; nothing of the chunk in flight was stored. Retry: ingest is idempotent.', {
            extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: error.retryAfterSeconds, http: { status: 503, headers: { 'retry-after': String(error.retryAfterSeconds) } } },
          });
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
    'Stores Salesforce Einstein Bot sessions with their messages: session records, and Bot Runtime API v5 response bodies as Salesforce sends them (the bot\'s messages join the session, which they may end or escalate).',
  params: {
    botId: 'The bot of every item that names none (a runtime response to a message); the stored session\'s is used when it exists.',
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
