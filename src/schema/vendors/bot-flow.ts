// Genesys Cloud bot flow sessions (seed 000, `BotFlowSession`) and their reporting turns, which are the
// `turn` of each Message of such a session. Every field resolves from the stored vendor documents.
import type { Message, Session } from '../../generated/prisma/client.js';
import type {
  AskActionResult,
  BotChannel,
  BotChannelInputMode,
  BotChannelName,
  BotChannelOutputMode,
  BotFlowSession,
  Entity,
  KnownBotResult,
  KnownBotResultCategory,
  ReportingTurn,
  ReportingTurnAction,
  ReportingTurnActionType,
  ReportingTurnIntent,
  ReportingTurnIntentSlot,
  ReportingTurnKnowledge,
  ReportingTurnKnowledgeDocument,
  ReportingTurnKnowledgeEvents,
  ReportingTurnKnowledgeFeedback,
  ReportingTurnKnowledgeFeedbackEvent,
  ReportingTurnKnowledgeSearch,
  ReportingTurnKnowledgeSearchEvent,
  SessionEndDetails,
  TextBotUserAgent,
  TextBotUserAgentName,
} from '../../vendors/genesys-bot-flow/native.js';
import { builder } from '../builder.js';
import { personalText } from '../pii.js';
import { vendorEnum } from '../enums.js';
import { MessageRef, messageDataOf } from '../message.js';
import { BotFlowSessionRef } from '../session.js';
import { AddressableEntityRefType, dateOrNull, enumListWithRaw, enumWithRaw, knownValues, sessionData } from './shared.js';

/** The stored `BotFlowSession` document (turns are stored as messages, not here). */
function botFlow(session: Session): Partial<BotFlowSession> {
  return sessionData(session) as Partial<BotFlowSession>;
}

// ---- enums ----

const BotResult = vendorEnum(
  'BotResult',
  knownValues<KnownBotResult>({
    OutdatedSdkVersion: true,
    Unknown: true,
    ExitRequestedByUser: true,
    ExitRequestedByBot: true,
    ExitError: true,
    ExitRecognitionFailure: true,
    DisconnectRequestedByUser: true,
    DisconnectRequestedByBot: true,
    DisconnectSessionExpired: true,
    DisconnectError: true,
    DisconnectRecognitionFailure: true,
    TransferToACD: true,
    TransferToUser: true,
    TransferToGroup: true,
    TransferToNumber: true,
    TransferToUserVoicemail: true,
    TransferToGroupVoicemail: true,
    TransferToACDVoicemail: true,
  }),
  'Why a Genesys bot flow session ended (Genesys `BotResultEnum`).',
);

const BotResultCategory = vendorEnum(
  'BotResultCategory',
  knownValues<KnownBotResultCategory>({
    OutdatedSdkVersion: true,
    Unknown: true,
    UserExit: true,
    BotExit: true,
    Error: true,
    RecognitionFailure: true,
    UserDisconnect: true,
    BotDisconnect: true,
    SessionExpired: true,
    Transfer: true,
  }),
  'The category of result of a Genesys bot flow session (Genesys `BotResultCategoryEnum`).',
);

const BotChannelNameEnum = vendorEnum(
  'BotChannelName',
  knownValues<BotChannelName>({ OutdatedSdkVersion: true, Chat: true, Call: true, Messaging: true }),
  'The kind of channel a Genesys bot flow ran on.',
);

const BotChannelInputModeEnum = vendorEnum(
  'BotChannelInputMode',
  knownValues<BotChannelInputMode>({ Text: true, Voice: true, DTMF: true }),
  'How the user can answer a Genesys bot flow.',
);

const BotChannelOutputModeEnum = vendorEnum(
  'BotChannelOutputMode',
  knownValues<BotChannelOutputMode>({ Text: true, Voice: true }),
  'How a Genesys bot flow speaks to the user.',
);

const TextBotUserAgentNameEnum = vendorEnum(
  'TextBotUserAgentName',
  knownValues<TextBotUserAgentName>({
    OutdatedSdkVersion: true,
    Phone: true,
    SMS: true,
    GenesysWebWidget: true,
    FacebookMessenger: true,
    WeChat: true,
    Whatsapp: true,
    AppleBusinessChat: true,
    Apple: true,
    Telegram: true,
    Slack: true,
    Signal: true,
    Line: true,
    Discord: true,
    TwitterDirectMessage: true,
    Open: true,
    Instagram: true,
    Other: true,
    Unknown: true,
  }),
  'The client or provider the user reached a Genesys bot flow through.',
);

const ReportingTurnActionTypeEnum = vendorEnum(
  'ReportingTurnActionType',
  knownValues<ReportingTurnActionType>({
    OutdatedSdkVersion: true,
    AskForAuthenticationAction: true,
    AddFlowMilestoneAction: true,
    AskForNLUIntentAction: true,
    AskForBooleanAction: true,
    AskForPaymentAction: true,
    AskForSlotAction: true,
    AskSurveyQuestionAction: true,
    AskForNLUNextIntentAction: true,
    BotState: true,
    CallAgenticVirtualAgentAction: true,
    CallBotFlowAction: true,
    CallDigitalBotFlowAction: true,
    CallTaskAction: true,
    CallGuideAction: true,
    ClearSlotAction: true,
    ClearUtilizationLabelAction: true,
    DisconnectAction: true,
    EndTaskAction: true,
    ExitBotFlowAction: true,
    UpdateVariableAction: true,
    CommunicateAction: true,
    DecisionAction: true,
    FindEmergencyGroupAction: true,
    FindGrammarAction: true,
    FindGrammarByIdAction: true,
    FindGroupAction: true,
    FindLanguageSkillAction: true,
    FindQueueAction: true,
    FindQueueByIdAction: true,
    FindScheduleAction: true,
    FindScheduleGroupAction: true,
    FindSkillAction: true,
    FindSystemPromptAction: true,
    FindUserAction: true,
    FindUserByIdAction: true,
    FindUsersByIdAction: true,
    FindUserPromptAction: true,
    FindUtilizationLabelAction: true,
    FormAction: true,
    SwitchAction: true,
    DataAction: true,
    DataTableLookupAction: true,
    GetExternalContactAction: true,
    GetExternalOrganizationAction: true,
    LoopAction: true,
    ExitLoopAction: true,
    NextLoopAction: true,
    LoopUntilAction: true,
    SetActiveIntentAction: true,
    SetFlowOutcomeAction: true,
    InitializeFlowOutcomeAction: true,
    AskForStringAction: true,
    SendResponseAction: true,
    GetResponseAction: true,
    ExtractSecureDataAction: true,
    SecureAction: true,
    TransferTaskAction: true,
    DigitalMenuAction: true,
    WaitForInputAction: true,
    EvaluateScheduleAction: true,
    EvaluateScheduleGroupAction: true,
    PromoteExternalContactAction: true,
    ShowKnowledgeArticleAction: true,
    SendKnowledgeFeedbackAction: true,
    SetLocaleAction: true,
    ScreenPopAction: true,
    SetUtilizationLabelAction: true,
    SetWrapupCodeAction: true,
    TransferPureMatchAction: true,
    TransferUserAction: true,
    TransferGroupAction: true,
    TransferExternalAction: true,
    GetAttributesAction: true,
    SetAttributesAction: true,
    SendInteractiveApplicationAction: true,
    SendRichLinkAction: true,
    Unknown: true,
  }),
  'The type of flow action that asked the user for input in a reporting turn.',
);

const AskActionResultEnum = vendorEnum(
  'AskActionResult',
  knownValues<AskActionResult>({
    OutdatedSdkVersion: true,
    SuccessCollection: true,
    SuccessConfirmationYes: true,
    SuccessConfirmationNo: true,
    SkippedCollection: true,
    PartialCollection: true,
    GuardrailsViolation: true,
    NoMatchCollection: true,
    NoMatchConfirmation: true,
    AgentRequestedByUser: true,
    ConfirmationRequired: true,
    Error: true,
    ExpressionError: true,
    NoInputCollection: true,
    NoInputConfirmation: true,
    DisambiguationRequired: true,
    SuccessDisambiguation: true,
    SuccessDisambiguationNone: true,
    NoMatchDisambiguation: true,
    NoInputDisambiguation: true,
  }),
  'What came of the ask action of a reporting turn.',
);

const SessionEndDetailsTypeEnum = vendorEnum(
  'SessionEndDetailsType',
  knownValues<NonNullable<SessionEndDetails['type']>>({ OutdatedSdkVersion: true, Disconnect: true, Exit: true }),
  'How a Genesys bot flow session ended: the flow exited, or the session was disconnected.',
);

// ---- the session's nested models ----

const EntityType = builder.objectRef<Entity>('Entity').implement({
  description: 'A bare Genesys Cloud entity reference (the SDK documents only its id).',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'The globally unique identifier for the object.' }),
  }),
});

const TextBotUserAgentType = builder.objectRef<TextBotUserAgent>('TextBotUserAgent').implement({
  description: 'The user agent (client or provider) of a bot channel.',
  fields: (t) => ({
    ...enumWithRaw(t, 'name', TextBotUserAgentNameEnum, (agent) => agent.name, 'The name of the user agent.'),
  }),
});

const BotChannelType = builder.objectRef<BotChannel>('BotChannel').implement({
  description: 'Channel-specific information that describes the message channel or provider of a Genesys bot flow session.',
  fields: (t) => ({
    ...enumWithRaw(t, 'name', BotChannelNameEnum, (channel) => channel.name, 'The name of the channel.'),
    ...enumListWithRaw(t, 'inputModes', BotChannelInputModeEnum, (channel) => channel.inputModes, 'The input modes of the channel.'),
    ...enumListWithRaw(t, 'outputModes', BotChannelOutputModeEnum, (channel) => channel.outputModes, 'The output modes of the channel.'),
    userAgent: t.field({
      type: TextBotUserAgentType,
      nullable: true,
      description: 'The user agent of the channel.',
      resolve: (channel) => channel.userAgent ?? null,
    }),
  }),
});

builder.objectFields(BotFlowSessionRef, (t) => ({
  flow: t.field({
    type: EntityType,
    nullable: true,
    description: 'The flow associated with this bot session (its id is also the session\'s `botId`).',
    resolve: (s) => botFlow(s).flow ?? null,
  }),
  botChannel: t.field({
    type: BotChannelType,
    nullable: true,
    description:
      "Channel-specific information that describes the message channel/provider (Genesys `channel`; the interface's `channel` is its lower-case name).",
    resolve: (s) => botFlow(s).channel ?? null,
  }),
  endLanguage: t.string({
    nullable: true,
    description: 'The language of the session at the time the session ended, as Genesys sent it.',
    resolve: (s) => botFlow(s).endLanguage ?? null,
  }),
  ...enumWithRaw(t, 'botResult', BotResult, (s) => botFlow(s).botResult, 'The reason for session termination.'),
  ...enumWithRaw(t, 'botResultCategory', BotResultCategory, (s) => botFlow(s).botResultCategory, 'The category of result for the session.'),
  dateCreated: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'When the session was created.',
    resolve: (s) => dateOrNull(botFlow(s).dateCreated),
  }),
  dateCompleted: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'When the session completed; null while it runs.',
    resolve: (s) => dateOrNull(botFlow(s).dateCompleted),
  }),
  conversationRef: t.field({
    type: AddressableEntityRefType,
    nullable: true,
    description:
      "Genesys's reference to the conversation, across potentially multiple bot flow sessions (Genesys `conversation`; the interface's `conversation` is Parley's Conversation).",
    resolve: (s) => botFlow(s).conversation ?? null,
  }),
}));

// ---- reporting turns ----

const ReportingTurnActionType = builder.objectRef<ReportingTurnAction>('ReportingTurnAction').implement({
  description: 'The flow action that asked the user for input in a reporting turn.',
  fields: (t) => ({
    actionId: t.exposeString('actionId', { nullable: true, description: 'The id of the action.' }),
    actionName: t.exposeString('actionName', { nullable: true, description: 'The name of the action.' }),
    actionNumber: t.exposeInt('actionNumber', { nullable: true, description: 'The number of the action in the flow.' }),
    ...enumWithRaw(t, 'actionType', ReportingTurnActionTypeEnum, (action) => action.actionType, 'The type of the action.'),
  }),
});

const ReportingTurnIntentSlotType = builder.objectRef<ReportingTurnIntentSlot>('ReportingTurnIntentSlot').implement({
  description: 'A slot NLU filled from the user input of a reporting turn.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true, description: 'The name of the slot.' }),
    value: t.exposeString('value', { nullable: true, description: 'The value recognised for the slot.' }),
    type: t.exposeString('type', { nullable: true, description: 'The slot type.' }),
    confidence: t.exposeFloat('confidence', { nullable: true, description: 'The confidence score of the slot value, 0 to 1.' }),
  }),
});

const ReportingTurnIntentType = builder.objectRef<ReportingTurnIntent>('ReportingTurnIntent').implement({
  description: 'The intent NLU recognised in the user input of a reporting turn.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true, description: 'The name of the intent.' }),
    id: t.exposeString('id', { nullable: true, description: 'The id of the intent.' }),
    confidence: t.exposeFloat('confidence', { nullable: true, description: 'The confidence score of the intent, 0 to 1.' }),
    slots: t.field({
      type: [ReportingTurnIntentSlotType],
      nullable: true,
      description: 'The slots filled for the intent.',
      resolve: (intent) => intent.slots ?? null,
    }),
  }),
});

const ReportingTurnKnowledgeDocumentType = builder.objectRef<ReportingTurnKnowledgeDocument>('ReportingTurnKnowledgeDocument').implement({
  description: 'A knowledge base document a reporting turn searched or rated.',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'The id of the knowledge document.' }),
    question: t.exposeString('question', { nullable: true, description: 'The question of the document.' }),
    answer: t.exposeString('answer', { nullable: true, description: 'The answer of the document.' }),
    confidence: t.exposeFloat('confidence', { nullable: true, description: 'How well the document matched, 0 to 1.' }),
  }),
});

const knowledgeDocuments = (parent: { documents?: ReportingTurnKnowledgeDocument[] }) => parent.documents ?? null;

const ReportingTurnKnowledgeFeedbackType = builder.objectRef<ReportingTurnKnowledgeFeedback>('ReportingTurnKnowledgeFeedback').implement({
  description: 'Feedback the user gave on knowledge documents in a reporting turn.',
  fields: (t) => ({
    searchId: t.exposeString('searchId', { nullable: true, description: 'The id of the search the feedback is about.' }),
    rating: t.exposeInt('rating', { nullable: true, description: 'The rating the user gave.' }),
    documents: t.field({ type: [ReportingTurnKnowledgeDocumentType], nullable: true, description: 'The rated documents.', resolve: knowledgeDocuments }),
  }),
});

const ReportingTurnKnowledgeSearchType = builder.objectRef<ReportingTurnKnowledgeSearch>('ReportingTurnKnowledgeSearch').implement({
  description: 'A knowledge base search a reporting turn made.',
  fields: (t) => ({
    searchId: t.exposeString('searchId', { nullable: true, description: 'The id of the search.' }),
    documents: t.field({ type: [ReportingTurnKnowledgeDocumentType], nullable: true, description: 'The documents found.', resolve: knowledgeDocuments }),
    query: t.exposeString('query', { nullable: true, description: 'The search query.' }),
  }),
});

const ReportingTurnKnowledgeType = builder.objectRef<ReportingTurnKnowledge>('ReportingTurnKnowledge').implement({
  description: 'The knowledge base activity of a reporting turn.',
  fields: (t) => ({
    knowledgeBaseId: t.exposeString('knowledgeBaseId', { nullable: true, description: 'The id of the knowledge base.' }),
    feedback: t.field({
      type: ReportingTurnKnowledgeFeedbackType,
      nullable: true,
      description: 'Feedback given in the turn.',
      resolve: (knowledge) => knowledge.feedback ?? null,
    }),
    search: t.field({
      type: ReportingTurnKnowledgeSearchType,
      nullable: true,
      description: 'The search made in the turn.',
      resolve: (knowledge) => knowledge.search ?? null,
    }),
  }),
});

const ReportingTurnKnowledgeSearchEventType = builder.objectRef<ReportingTurnKnowledgeSearchEvent>('ReportingTurnKnowledgeSearchEvent').implement({
  description: 'A knowledge base search event of a reporting turn.',
  fields: (t) => ({
    searchId: t.exposeString('searchId', { nullable: true, description: 'The id of the search.' }),
    knowledgeBaseId: t.exposeString('knowledgeBaseId', { nullable: true, description: 'The id of the knowledge base.' }),
    documents: t.field({ type: [ReportingTurnKnowledgeDocumentType], nullable: true, description: 'The documents found.', resolve: knowledgeDocuments }),
    searchQuery: t.exposeString('searchQuery', { nullable: true, description: 'The search query.' }),
    answerDocumentId: t.exposeString('answerDocumentId', { nullable: true, description: 'The id of the document given as the answer.' }),
  }),
});

const ReportingTurnKnowledgeFeedbackEventType = builder.objectRef<ReportingTurnKnowledgeFeedbackEvent>('ReportingTurnKnowledgeFeedbackEvent').implement({
  description: 'A knowledge base feedback event of a reporting turn.',
  fields: (t) => ({
    searchId: t.exposeString('searchId', { nullable: true, description: 'The id of the search the feedback is about.' }),
    knowledgeBaseId: t.exposeString('knowledgeBaseId', { nullable: true, description: 'The id of the knowledge base.' }),
    documents: t.field({ type: [ReportingTurnKnowledgeDocumentType], nullable: true, description: 'The rated documents.', resolve: knowledgeDocuments }),
    feedbackRating: t.exposeInt('feedbackRating', { nullable: true, description: 'The rating the user gave.' }),
    documentVariationId: t.exposeString('documentVariationId', { nullable: true, description: 'The id of the rated document variation.' }),
    documentVersionId: t.exposeString('documentVersionId', { nullable: true, description: 'The id of the rated document version.' }),
  }),
});

const ReportingTurnKnowledgeEventsType = builder.objectRef<ReportingTurnKnowledgeEvents>('ReportingTurnKnowledgeEvents').implement({
  description: 'The knowledge base events of a reporting turn.',
  fields: (t) => ({
    search: t.field({
      type: [ReportingTurnKnowledgeSearchEventType],
      nullable: true,
      description: 'Search events.',
      resolve: (events) => events.search ?? null,
    }),
    feedback: t.field({
      type: [ReportingTurnKnowledgeFeedbackEventType],
      nullable: true,
      description: 'Feedback events.',
      resolve: (events) => events.feedback ?? null,
    }),
  }),
});

const SessionEndDetailsType = builder.objectRef<SessionEndDetails>('SessionEndDetails').implement({
  description: 'How the session ended, on the turn that ended it.',
  fields: (t) => ({
    ...enumWithRaw(t, 'type', SessionEndDetailsTypeEnum, (details) => details.type, 'Whether the flow exited or the session was disconnected.'),
    reason: t.exposeString('reason', { nullable: true, description: 'Why the session ended (a bot result such as `TransferToACD`).' }),
  }),
});

const ReportingTurnType = builder.objectRef<ReportingTurn>('ReportingTurn').implement({
  description: 'One turn of a Genesys bot flow session: the bot prompts, the user input, and what the bot made of it.',
  fields: (t) => ({
    userInput: t.exposeString('userInput', { nullable: true, description: 'What the user said or typed.' }),
    botPrompts: t.exposeStringList('botPrompts', { nullable: true, description: 'What the bot said, in order.' }),
    sessionId: t.exposeString('sessionId', { nullable: true, description: 'The id of the bot flow session of the turn.' }),
    conversationRef: t.field({
      type: AddressableEntityRefType,
      nullable: true,
      description: 'Genesys\'s reference to the conversation of the turn (Genesys `conversation`).',
      resolve: (turn) => turn.conversation ?? null,
    }),
    askAction: t.field({
      type: ReportingTurnActionType,
      nullable: true,
      description: 'The action that asked for the user input.',
      resolve: (turn) => turn.askAction ?? null,
    }),
    intent: t.field({
      type: ReportingTurnIntentType,
      nullable: true,
      description: 'The intent recognised in the user input, with its slots.',
      resolve: (turn) => turn.intent ?? null,
    }),
    knowledge: t.field({
      type: ReportingTurnKnowledgeType,
      nullable: true,
      description: 'Knowledge base activity in the turn.',
      resolve: (turn) => turn.knowledge ?? null,
    }),
    knowledgeBaseEvents: t.field({
      type: ReportingTurnKnowledgeEventsType,
      nullable: true,
      description: 'Knowledge base events in the turn.',
      resolve: (turn) => turn.knowledgeBaseEvents ?? null,
    }),
    dateCreated: t.field({ type: 'DateTime', nullable: true, description: 'When the turn started.', resolve: (turn) => dateOrNull(turn.dateCreated) }),
    dateCompleted: t.field({ type: 'DateTime', nullable: true, description: 'When the turn completed.', resolve: (turn) => dateOrNull(turn.dateCompleted) }),
    ...enumWithRaw(t, 'askActionResult', AskActionResultEnum, (turn) => turn.askActionResult, 'The result of the ask action.'),
    sessionEndDetails: t.field({
      type: SessionEndDetailsType,
      nullable: true,
      description: 'Present on the turn that ended the session.',
      resolve: (turn) => turn.sessionEndDetails ?? null,
    }),
  }),
});

builder.objectFields(MessageRef, (t) => ({
  turn: t.field({
    type: ReportingTurnType,
    nullable: true,
    description: 'Genesys bot flow messages: the whole reporting turn the message belongs to (every message of a turn has the same one).',
    // Each message of a turn stores the whole turn document as its `data`.
    // The turn holds the user's input verbatim: the tenant's message-text rule applies to it too.
    resolve: personalText('Message.turn', async (m: Message, _args, ctx) => (await messageDataOf(m, 'BOT_FLOW', ctx)) as ReportingTurn | null),
  }),
}));
