// Genesys Cloud bot flow documents, defined once (see ../model-kit.ts): the `BotFlowSession` of the
// analytics bot flow sessions API (seed 000, plus `dateCompleted`) and the `ReportingTurn`s of
// `GET /api/v2/analytics/botflows/{botFlowId}/divisions/reportingturns`, with their nested models.
// Fields and descriptions: the Genesys Platform API SDK model docs
// (MyPureCloud/platform-client-sdk-python build/docs/<Model>.md).
// The seeds: docs/architecture.md, "Vendor sources".
//
// Enums are open (../model-kit.ts `enumOf`): Genesys adds values over time. `OutdatedSdkVersion` is what
// an old SDK reports for a value it does not know, not a real state. The SDK marks every field of
// `BotChannel` and `TextBotUserAgent` required; real exports lack some (a channel without `userAgent`),
// and Parley stores them as sent, with a warning (`vendorRequired`).
import { AddressableEntityRef } from '../genesys-common/model.js';
import { V, type Static } from '../model-kit.js';

const BOT_RESULTS = [
  'OutdatedSdkVersion',
  'Unknown',
  'ExitRequestedByUser',
  'ExitRequestedByBot',
  'ExitError',
  'ExitRecognitionFailure',
  'DisconnectRequestedByUser',
  'DisconnectRequestedByBot',
  'DisconnectSessionExpired',
  'DisconnectError',
  'DisconnectRecognitionFailure',
  'TransferToACD',
  'TransferToUser',
  'TransferToGroup',
  'TransferToNumber',
  'TransferToUserVoicemail',
  'TransferToGroupVoicemail',
  'TransferToACDVoicemail',
] as const;
export type KnownBotResult = (typeof BOT_RESULTS)[number];

const BOT_RESULT_CATEGORIES = [
  'OutdatedSdkVersion',
  'Unknown',
  'UserExit',
  'BotExit',
  'Error',
  'RecognitionFailure',
  'UserDisconnect',
  'BotDisconnect',
  'SessionExpired',
  'Transfer',
] as const;
export type KnownBotResultCategory = (typeof BOT_RESULT_CATEGORIES)[number];

const USER_AGENT_NAMES = [
  'OutdatedSdkVersion',
  'Phone',
  'SMS',
  'GenesysWebWidget',
  'FacebookMessenger',
  'WeChat',
  'Whatsapp',
  'AppleBusinessChat',
  'Apple',
  'Telegram',
  'Slack',
  'Signal',
  'Line',
  'Discord',
  'TwitterDirectMessage',
  'Open',
  'Instagram',
  'Other',
  'Unknown',
] as const;

const ACTION_TYPES = [
  'OutdatedSdkVersion',
  'AskForAuthenticationAction',
  'AddFlowMilestoneAction',
  'AskForNLUIntentAction',
  'AskForBooleanAction',
  'AskForPaymentAction',
  'AskForSlotAction',
  'AskSurveyQuestionAction',
  'AskForNLUNextIntentAction',
  'BotState',
  'CallAgenticVirtualAgentAction',
  'CallBotFlowAction',
  'CallDigitalBotFlowAction',
  'CallTaskAction',
  'CallGuideAction',
  'ClearSlotAction',
  'ClearUtilizationLabelAction',
  'DisconnectAction',
  'EndTaskAction',
  'ExitBotFlowAction',
  'UpdateVariableAction',
  'CommunicateAction',
  'DecisionAction',
  'FindEmergencyGroupAction',
  'FindGrammarAction',
  'FindGrammarByIdAction',
  'FindGroupAction',
  'FindLanguageSkillAction',
  'FindQueueAction',
  'FindQueueByIdAction',
  'FindScheduleAction',
  'FindScheduleGroupAction',
  'FindSkillAction',
  'FindSystemPromptAction',
  'FindUserAction',
  'FindUserByIdAction',
  'FindUsersByIdAction',
  'FindUserPromptAction',
  'FindUtilizationLabelAction',
  'FormAction',
  'SwitchAction',
  'DataAction',
  'DataTableLookupAction',
  'GetExternalContactAction',
  'GetExternalOrganizationAction',
  'LoopAction',
  'ExitLoopAction',
  'NextLoopAction',
  'LoopUntilAction',
  'SetActiveIntentAction',
  'SetFlowOutcomeAction',
  'InitializeFlowOutcomeAction',
  'AskForStringAction',
  'SendResponseAction',
  'GetResponseAction',
  'ExtractSecureDataAction',
  'SecureAction',
  'TransferTaskAction',
  'DigitalMenuAction',
  'WaitForInputAction',
  'EvaluateScheduleAction',
  'EvaluateScheduleGroupAction',
  'PromoteExternalContactAction',
  'ShowKnowledgeArticleAction',
  'SendKnowledgeFeedbackAction',
  'SetLocaleAction',
  'ScreenPopAction',
  'SetUtilizationLabelAction',
  'SetWrapupCodeAction',
  'TransferPureMatchAction',
  'TransferUserAction',
  'TransferGroupAction',
  'TransferExternalAction',
  'GetAttributesAction',
  'SetAttributesAction',
  'SendInteractiveApplicationAction',
  'SendRichLinkAction',
  'Unknown',
] as const;

const ASK_ACTION_RESULTS = [
  'OutdatedSdkVersion',
  'SuccessCollection',
  'SuccessConfirmationYes',
  'SuccessConfirmationNo',
  'SkippedCollection',
  'PartialCollection',
  'GuardrailsViolation',
  'NoMatchCollection',
  'NoMatchConfirmation',
  'AgentRequestedByUser',
  'ConfirmationRequired',
  'Error',
  'ExpressionError',
  'NoInputCollection',
  'NoInputConfirmation',
  'DisambiguationRequired',
  'SuccessDisambiguation',
  'SuccessDisambiguationNone',
  'NoMatchDisambiguation',
  'NoInputDisambiguation',
] as const;

// ---- the session's nested models ----

export const Entity = V.object(
  { title: 'Entity', input: 'GenesysEntityInput', output: 'Entity' },
  { id: V.string({ description: 'The globally unique identifier for the object.' }) },
  { description: 'A bare Genesys Cloud entity reference (the SDK documents only its id).' },
);

export const TextBotUserAgent = V.object(
  { title: 'TextBotUserAgent', input: 'GenesysTextBotUserAgentInput', output: 'TextBotUserAgent' },
  {
    name: V.enumOf('TextBotUserAgentName', USER_AGENT_NAMES, {
      vendorRequired: true,
      description: 'The name of the user agent.',
      enumDescription: 'The client or provider the user reached a Genesys bot flow through.',
    }),
  },
  { description: 'The user agent (client or provider) of a bot channel.' },
);

export const BotChannel = V.object(
  { title: 'BotChannel', input: 'GenesysBotChannelInput', output: 'BotChannel' },
  {
    name: V.enumOf('BotChannelName', ['OutdatedSdkVersion', 'Chat', 'Call', 'Messaging'] as const, {
      vendorRequired: true,
      description: 'The name of the channel.',
      enumDescription: 'The kind of channel a Genesys bot flow ran on.',
    }),
    inputModes: V.array(
      V.enumOf('BotChannelInputMode', ['Text', 'Voice', 'DTMF'] as const, { enumDescription: 'How the user can answer a Genesys bot flow.' }),
      { vendorRequired: true, description: 'The input modes for the channel.' },
    ),
    outputModes: V.array(V.enumOf('BotChannelOutputMode', ['Text', 'Voice'] as const, { enumDescription: 'How a Genesys bot flow speaks to the user.' }), {
      vendorRequired: true,
      description: 'The output modes for the channel.',
    }),
    userAgent: { ...TextBotUserAgent, vendorRequired: true, description: 'Information about the end user agent calling the bot flow.' },
  },
  { description: 'Channel-specific information that describes the message channel or provider of a Genesys bot flow session.' },
);

// ---- reporting turns ----

export const ReportingTurnAction = V.object(
  { title: 'ReportingTurnAction', input: 'GenesysReportingTurnActionInput', output: 'ReportingTurnAction' },
  {
    actionId: V.string({ description: 'The ID of the action in the bot flow.' }),
    actionName: V.string({ description: 'The name of the action in the bot flow.' }),
    actionNumber: V.number({ description: 'The number of the action in the bot flow.', graphql: { int: 'Int' } }),
    actionType: V.enumOf('ReportingTurnActionType', ACTION_TYPES, {
      description: 'The type of the action.',
      enumDescription: 'The type of flow action that asked the user for input in a reporting turn.',
    }),
  },
  { description: "The bot flow 'ask' action of a reporting turn: the flow action that asked the user for input." },
);

export const ReportingTurnIntentSlot = V.object(
  { title: 'ReportingTurnIntentSlot', input: 'GenesysReportingTurnIntentSlotInput', output: 'ReportingTurnIntentSlot' },
  {
    name: V.string({ description: 'The name of the slot.' }),
    // Filled from what the user said (a name, a date of birth, an account number...).
    value: V.string({ description: 'The value of the slot.', graphql: { personal: 'text' } }),
    type: V.string({ description: 'The NLU entity type of the slot (either builtin or user defined).' }),
    confidence: V.number({ description: 'The confidence score this slot received during detection.' }),
  },
  { description: 'A slot NLU filled from the user input of a reporting turn.' },
);

export const ReportingTurnIntent = V.object(
  { title: 'ReportingTurnIntent', input: 'GenesysReportingTurnIntentInput', output: 'ReportingTurnIntent' },
  {
    name: V.string({ description: 'The name of the intent detected during this reporting turn.' }),
    id: V.string({ description: 'The ID of the intent detected during this reporting turn.' }),
    confidence: V.number({ description: 'The confidence score of the intent detected during this reporting turn.' }),
    slots: V.array(ReportingTurnIntentSlot, { description: 'The slots detected during this reporting turn.' }),
  },
  { description: 'The intent NLU recognised in the user input of a reporting turn.' },
);

export const ReportingTurnKnowledgeDocument = V.object(
  { title: 'ReportingTurnKnowledgeDocument', input: 'GenesysReportingTurnKnowledgeDocumentInput', output: 'ReportingTurnKnowledgeDocument' },
  {
    id: V.string({ description: 'The ID of the knowledge document.' }),
    question: V.string({ description: 'The question that was used to match against the search query.' }),
    answer: V.string({ description: 'The corresponding answer to the question.' }),
    confidence: V.number({ description: 'The confidence score of how well the question matched the search query.' }),
  },
  { description: 'A knowledge base document a reporting turn searched or rated.' },
);

const RATING = 'The feedback rating for the search (1.0 - 5.0). 1 = Negative, 5 = Positive.';

export const ReportingTurnKnowledgeFeedback = V.object(
  { title: 'ReportingTurnKnowledgeFeedback', input: 'GenesysReportingTurnKnowledgeFeedbackInput', output: 'ReportingTurnKnowledgeFeedback' },
  {
    searchId: V.string({ description: 'The ID of the original knowledge search that this feedback relates to.' }),
    rating: V.number({ description: RATING, graphql: { int: 'Int' } }),
    documents: V.array(ReportingTurnKnowledgeDocument, { description: 'The list of search documents that the feedback applies to.' }),
  },
  { description: 'Feedback the user gave on knowledge documents in a reporting turn.' },
);

export const ReportingTurnKnowledgeSearch = V.object(
  { title: 'ReportingTurnKnowledgeSearch', input: 'GenesysReportingTurnKnowledgeSearchInput', output: 'ReportingTurnKnowledgeSearch' },
  {
    searchId: V.string({ description: 'The ID of this knowledge search.' }),
    documents: V.array(ReportingTurnKnowledgeDocument, { description: 'The list of search documents captured during this reporting turn.' }),
    query: V.string({
      description: 'The search query that was used to search the Knowledge Base documents for a matching question.',
      graphql: { personal: 'text' },
    }),
  },
  { description: 'A knowledge base search a reporting turn made.' },
);

export const ReportingTurnKnowledge = V.object(
  { title: 'ReportingTurnKnowledge', input: 'GenesysReportingTurnKnowledgeInput', output: 'ReportingTurnKnowledge' },
  {
    knowledgeBaseId: V.string({ description: 'The Knowledge Base ID that the captured knowledge data relates to.' }),
    feedback: { ...ReportingTurnKnowledgeFeedback, description: 'The knowledge feedback data that was captured during this reporting turn.' },
    search: { ...ReportingTurnKnowledgeSearch, description: 'The knowledge search data that was captured during this reporting turn.' },
  },
  { description: 'The knowledge base activity of a reporting turn.' },
);

export const ReportingTurnKnowledgeSearchEvent = V.object(
  { title: 'ReportingTurnKnowledgeSearchEvent', input: 'GenesysReportingTurnKnowledgeSearchEventInput', output: 'ReportingTurnKnowledgeSearchEvent' },
  {
    searchId: V.string({ description: 'The ID of this knowledge search.' }),
    knowledgeBaseId: V.string({ description: 'The Knowledge Base ID that the captured knowledge data relates to.' }),
    documents: V.array(ReportingTurnKnowledgeDocument, { description: 'The list of search documents found.' }),
    searchQuery: V.string({
      description: 'The search query that was used to search the Knowledge Base documents for a matching question.',
      graphql: { personal: 'text' },
    }),
    answerDocumentId: V.string({ description: 'The document ID of the search answer.' }),
  },
  { description: 'A knowledge base search event of a reporting turn.' },
);

export const ReportingTurnKnowledgeFeedbackEvent = V.object(
  { title: 'ReportingTurnKnowledgeFeedbackEvent', input: 'GenesysReportingTurnKnowledgeFeedbackEventInput', output: 'ReportingTurnKnowledgeFeedbackEvent' },
  {
    searchId: V.string({ description: 'The ID of the knowledge search the feedback is about.' }),
    knowledgeBaseId: V.string({ description: 'The Knowledge Base ID that the captured knowledge data relates to.' }),
    documents: V.array(ReportingTurnKnowledgeDocument, { description: 'The list of search documents that the feedback applies to.' }),
    feedbackRating: V.number({ description: RATING, graphql: { int: 'Int' } }),
    documentVariationId: V.string({ description: 'The variation of the document.' }),
    documentVersionId: V.string({ description: 'The version of the document.' }),
  },
  { description: 'A knowledge base feedback event of a reporting turn.' },
);

export const ReportingTurnKnowledgeEvents = V.object(
  { title: 'ReportingTurnKnowledgeEvents', input: 'GenesysReportingTurnKnowledgeEventsInput', output: 'ReportingTurnKnowledgeEvents' },
  {
    search: V.array(ReportingTurnKnowledgeSearchEvent, { description: 'The knowledge search data captured during this reporting turn.' }),
    feedback: V.array(ReportingTurnKnowledgeFeedbackEvent, { description: 'The knowledge feedback data captured during this reporting turn.' }),
  },
  { description: 'The knowledge base events of a reporting turn.' },
);

export const SessionEndDetails = V.object(
  { title: 'SessionEndDetails', input: 'GenesysSessionEndDetailsInput', output: 'SessionEndDetails' },
  {
    type: V.enumOf('SessionEndDetailsType', ['OutdatedSdkVersion', 'Disconnect', 'Exit'] as const, {
      description: 'The type of termination handling that resulted in the session end.',
      enumDescription: 'How a Genesys bot flow session ended: the flow exited, or the session was disconnected.',
    }),
    reason: V.string({ description: 'The reason for termination action (a bot result such as `TransferToACD`): an error or normal flow execution.' }),
  },
  { description: 'The details related to the end of a bot flow session: present on the turn that ended it.' },
);

/** The SDK's own conversation reference is `conversation`; GraphQL reads it as `conversationRef` (`conversation` is Parley's Conversation). */
const conversationRef = {
  ...AddressableEntityRef,
  description:
    "Genesys's reference to the conversation, across potentially multiple bot flow sessions (Genesys `conversation`; the interface's `conversation` is Parley's Conversation).",
  graphql: { output: 'conversationRef' },
};

const reportingTurnProperties = {
  // The turn's words are its messages' text: the tenant's message-text rule applies to them.
  userInput: V.string({ description: 'The chosen user input associated with this reporting turn.', graphql: { personal: 'text' } }),
  botPrompts: V.array(V.string(), { description: 'The bot prompts associated with this reporting turn, in order.', graphql: { personal: 'text' } }),
  sessionId: V.id({
    description: 'The bot session ID that this reporting turn is grouped under.',
    graphql: {
      inputDescription:
        "The bot flow session of the turn. Required for `ingestGenesysReportingTurns`; inside a session's `turns` it may be left out (it must otherwise be that session's id).",
    },
  }),
  conversation: conversationRef,
  askAction: { ...ReportingTurnAction, description: "The bot flow 'ask' action associated with this reporting turn (e.g. AskForIntent)." },
  intent: { ...ReportingTurnIntent, description: 'The intent and associated slots detected during this reporting turn.' },
  knowledge: { ...ReportingTurnKnowledge, description: 'The knowledge data captured during this reporting turn.' },
  knowledgeBaseEvents: { ...ReportingTurnKnowledgeEvents, description: 'The knowledge base events captured during this reporting turn.' },
  dateCreated: V.dateTime({
    description: 'When the original turn was created.',
    graphql: { inputDescription: "When the original turn was created. A turn needs this or `dateCompleted`: it orders the turn's messages." },
  }),
  dateCompleted: V.dateTime({ description: 'When the original turn was completed.' }),
  askActionResult: V.enumOf('AskActionResult', ASK_ACTION_RESULTS, {
    description: "Result of the bot flow 'ask' action.",
    enumDescription: 'What came of the ask action of a reporting turn.',
  }),
  sessionEndDetails: { ...SessionEndDetails, description: 'The details related to the end of the bot flow session: present on the turn that ended it.' },
};

/** A turn inside a session document (`turns`): it belongs to that session, so `sessionId` may be left out. */
export const ReportingTurn = V.object({ title: 'ReportingTurn', input: 'GenesysReportingTurnInput', output: 'ReportingTurn' }, reportingTurnProperties, {
  description:
    'Genesys Cloud `ReportingTurn` (analytics `reportingturns`): one turn of a bot flow session, its bot prompts, the user input, and what the bot made of it. Its prompts and user input become ordered messages of its session.',
});

/** A turn on its own (`POST /ingest/genesys/reporting-turns`): only its `sessionId` says where it belongs. */
export const SessionReportingTurn = V.object({ title: 'Genesys Cloud ReportingTurn', input: 'GenesysReportingTurnInput' }, reportingTurnProperties, {
  required: ['sessionId'],
});

/**
 * What Parley ingests for one bot flow session: the `BotFlowSession` as the sessions API returns it,
 * plus (optionally) the reporting turns Genesys holds for it (`turns`). Genesys serves the two from
 * separate endpoints; keeping them together lets one ingest item carry a whole transcript. `turns` is
 * Parley's member, not Genesys's, and is stored as messages, not in the session's `data`.
 */
export const BotFlowSession = V.object(
  { title: 'Genesys Cloud BotFlowSession', input: 'GenesysBotFlowSessionInput' },
  {
    // Optional in the SDK; Parley cannot store a session without it. The interface's `externalId`.
    id: V.id({ description: 'The ID of the bot session.', graphql: { output: false, inputDescription: "The session's id (its key in Parley)." } }),
    flow: {
      ...Entity,
      description: "The flow associated to this bot session (its id is also the session's `botId`).",
    },
    channel: {
      ...BotChannel,
      description:
        "Channel-specific information that describes the message channel/provider (Genesys `channel`; the interface's `channel` is its lower-case name).",
      graphql: { output: 'botChannel' },
    },
    language: V.string({ description: 'The initial language of operation for the session.', graphql: { output: false } }),
    endLanguage: V.string({ description: 'The language of the session at the time the session ended, as Genesys sent it.' }),
    botResult: V.enumOf('BotResult', BOT_RESULTS, {
      description: 'The reason for session termination.',
      enumDescription: 'Why a Genesys bot flow session ended (Genesys `BotResultEnum`).',
    }),
    botResultCategory: V.enumOf('BotResultCategory', BOT_RESULT_CATEGORIES, {
      description: 'The category of result for the session.',
      enumDescription: 'The category of result of a Genesys bot flow session (Genesys `BotResultCategoryEnum`).',
    }),
    dateCreated: V.dateTime({ description: 'When the session was created.' }),
    dateCompleted: V.dateTime({ description: 'When the session was completed; null while it runs.' }),
    conversation: conversationRef,
    turns: V.array(ReportingTurn, { description: "The session's reporting turns, in any order.", graphql: { output: false } }),
  },
  {
    required: ['id'],
    description:
      "Genesys Cloud `BotFlowSession` (analytics bot flow sessions API), optionally with its reporting turns in `turns` (Parley's addition: one item can carry a whole transcript).",
  },
);

const { turns: _turns, ...storedSessionProperties } = BotFlowSession.properties;
/** A bot flow session as stored: the `BotFlowSession` without its turns (they are its messages, each keeping its `ReportingTurn`). */
export const StoredBotFlowSession = V.object({ title: 'Genesys Cloud BotFlowSession (stored)' }, storedSessionProperties);

export type Entity = Static<typeof Entity>;
export type TextBotUserAgent = Static<typeof TextBotUserAgent>;
export type BotChannel = Static<typeof BotChannel>;
export type ReportingTurnAction = Static<typeof ReportingTurnAction>;
export type ReportingTurnIntent = Static<typeof ReportingTurnIntent>;
export type ReportingTurnIntentSlot = Static<typeof ReportingTurnIntentSlot>;
export type ReportingTurnKnowledgeDocument = Static<typeof ReportingTurnKnowledgeDocument>;
export type SessionEndDetails = Static<typeof SessionEndDetails>;
export type ReportingTurn = Static<typeof ReportingTurn>;
/** A turn as the reporting-turns route accepts it: it must say which session it belongs to. */
export type SessionReportingTurn = Static<typeof SessionReportingTurn>;
/** One ingest item: the session and, optionally, its turns. */
export type BotFlowSessionWithTurns = Static<typeof BotFlowSession>;
/** The session as stored (its turns are stored as messages). */
export type BotFlowSession = Omit<BotFlowSessionWithTurns, 'turns'>;
export type { AddressableEntityRef } from '../genesys-common/model.js';
