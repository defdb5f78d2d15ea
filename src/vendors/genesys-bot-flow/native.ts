// Genesys Cloud bot flow sessions as the analytics API returns them, field names exactly as the vendor's.
// BotFlowSession: seed 000 plus `dateCompleted` (present on the real model, see DESIGN.md).
// ReportingTurn and its nested models, BotChannel, TextBotUserAgent, Entity and AddressableEntityRef:
// from the Genesys Platform API SDK model docs (MyPureCloud/platform-client-sdk-java, docs/<Model>.md).
//
// Enum-typed fields accept any string: Genesys adds values over time and Parley keeps the ones it does
// not know raw (they map to UNKNOWN). The `Known...` unions list the documented values.
// `OutdatedSdkVersion` is what an old SDK reports for a value it does not know, not a real state.

/** `string & {}` keeps editor completion for the known values while accepting new ones. */
type OpenString<Known extends string> = Known | (string & {});

export type KnownBotResult =
  | 'OutdatedSdkVersion'
  | 'Unknown'
  | 'ExitRequestedByUser'
  | 'ExitRequestedByBot'
  | 'ExitError'
  | 'ExitRecognitionFailure'
  | 'DisconnectRequestedByUser'
  | 'DisconnectRequestedByBot'
  | 'DisconnectSessionExpired'
  | 'DisconnectError'
  | 'DisconnectRecognitionFailure'
  | 'TransferToACD'
  | 'TransferToUser'
  | 'TransferToGroup'
  | 'TransferToNumber'
  | 'TransferToUserVoicemail'
  | 'TransferToGroupVoicemail'
  | 'TransferToACDVoicemail';
export type BotResult = OpenString<KnownBotResult>;

export type KnownBotResultCategory =
  | 'OutdatedSdkVersion'
  | 'Unknown'
  | 'UserExit'
  | 'BotExit'
  | 'Error'
  | 'RecognitionFailure'
  | 'UserDisconnect'
  | 'BotDisconnect'
  | 'SessionExpired'
  | 'Transfer';
export type BotResultCategory = OpenString<KnownBotResultCategory>;

/** Entity: a bare reference (the SDK documents only `id`). */
export interface Entity {
  id?: string;
}

export interface AddressableEntityRef {
  id?: string;
  selfUri?: string;
}

export type BotChannelName = OpenString<'OutdatedSdkVersion' | 'Chat' | 'Call' | 'Messaging'>;
export type BotChannelInputMode = OpenString<'Text' | 'Voice' | 'DTMF'>;
export type BotChannelOutputMode = OpenString<'Text' | 'Voice'>;

export type TextBotUserAgentName = OpenString<
  | 'OutdatedSdkVersion'
  | 'Phone'
  | 'SMS'
  | 'GenesysWebWidget'
  | 'FacebookMessenger'
  | 'WeChat'
  | 'Whatsapp'
  | 'AppleBusinessChat'
  | 'Apple'
  | 'Telegram'
  | 'Slack'
  | 'Signal'
  | 'Line'
  | 'Discord'
  | 'TwitterDirectMessage'
  | 'Open'
  | 'Instagram'
  | 'Other'
  | 'Unknown'
>;

// The SDK marks every field of these two required; real exports lack some (a channel without
// `userAgent`), and Parley stores them as sent (the ingest reply warns), so they are optional here.
export interface TextBotUserAgent {
  name?: TextBotUserAgentName;
}

export interface BotChannel {
  name?: BotChannelName;
  inputModes?: BotChannelInputMode[];
  outputModes?: BotChannelOutputMode[];
  userAgent?: TextBotUserAgent;
}

export interface BotFlowSession {
  /** Optional in the SDK; Parley cannot store a session without it, so it is required here. */
  id: string;
  flow?: Entity;
  channel?: BotChannel;
  language?: string;
  endLanguage?: string;
  botResult?: BotResult;
  botResultCategory?: BotResultCategory;
  dateCreated?: string;
  dateCompleted?: string;
  conversation?: AddressableEntityRef;
}

/** `GET /api/v2/analytics/botflows/{botFlowId}/sessions` page envelope. */
export interface BotFlowSessionsPage {
  entities?: BotFlowSession[];
  nextUri?: string;
  selfUri?: string;
  previousUri?: string;
}

// ---- Reporting turns (`GET /api/v2/analytics/botflows/{botFlowId}/divisions/reportingturns`) ----

export type ReportingTurnActionType = OpenString<
  | 'OutdatedSdkVersion'
  | 'AskForAuthenticationAction'
  | 'AddFlowMilestoneAction'
  | 'AskForNLUIntentAction'
  | 'AskForBooleanAction'
  | 'AskForPaymentAction'
  | 'AskForSlotAction'
  | 'AskSurveyQuestionAction'
  | 'AskForNLUNextIntentAction'
  | 'BotState'
  | 'CallAgenticVirtualAgentAction'
  | 'CallBotFlowAction'
  | 'CallDigitalBotFlowAction'
  | 'CallTaskAction'
  | 'CallGuideAction'
  | 'ClearSlotAction'
  | 'ClearUtilizationLabelAction'
  | 'DisconnectAction'
  | 'EndTaskAction'
  | 'ExitBotFlowAction'
  | 'UpdateVariableAction'
  | 'CommunicateAction'
  | 'DecisionAction'
  | 'FindEmergencyGroupAction'
  | 'FindGrammarAction'
  | 'FindGrammarByIdAction'
  | 'FindGroupAction'
  | 'FindLanguageSkillAction'
  | 'FindQueueAction'
  | 'FindQueueByIdAction'
  | 'FindScheduleAction'
  | 'FindScheduleGroupAction'
  | 'FindSkillAction'
  | 'FindSystemPromptAction'
  | 'FindUserAction'
  | 'FindUserByIdAction'
  | 'FindUsersByIdAction'
  | 'FindUserPromptAction'
  | 'FindUtilizationLabelAction'
  | 'FormAction'
  | 'SwitchAction'
  | 'DataAction'
  | 'DataTableLookupAction'
  | 'GetExternalContactAction'
  | 'GetExternalOrganizationAction'
  | 'LoopAction'
  | 'ExitLoopAction'
  | 'NextLoopAction'
  | 'LoopUntilAction'
  | 'SetActiveIntentAction'
  | 'SetFlowOutcomeAction'
  | 'InitializeFlowOutcomeAction'
  | 'AskForStringAction'
  | 'SendResponseAction'
  | 'GetResponseAction'
  | 'ExtractSecureDataAction'
  | 'SecureAction'
  | 'TransferTaskAction'
  | 'DigitalMenuAction'
  | 'WaitForInputAction'
  | 'EvaluateScheduleAction'
  | 'EvaluateScheduleGroupAction'
  | 'PromoteExternalContactAction'
  | 'ShowKnowledgeArticleAction'
  | 'SendKnowledgeFeedbackAction'
  | 'SetLocaleAction'
  | 'ScreenPopAction'
  | 'SetUtilizationLabelAction'
  | 'SetWrapupCodeAction'
  | 'TransferPureMatchAction'
  | 'TransferUserAction'
  | 'TransferGroupAction'
  | 'TransferExternalAction'
  | 'GetAttributesAction'
  | 'SetAttributesAction'
  | 'SendInteractiveApplicationAction'
  | 'SendRichLinkAction'
  | 'Unknown'
>;

export interface ReportingTurnAction {
  actionId?: string;
  actionName?: string;
  actionNumber?: number;
  actionType?: ReportingTurnActionType;
}

export interface ReportingTurnIntentSlot {
  name?: string;
  value?: string;
  type?: string;
  confidence?: number;
}

export interface ReportingTurnIntent {
  name?: string;
  id?: string;
  confidence?: number;
  slots?: ReportingTurnIntentSlot[];
}

export interface ReportingTurnKnowledgeDocument {
  id?: string;
  question?: string;
  answer?: string;
  confidence?: number;
}

export interface ReportingTurnKnowledgeFeedback {
  searchId?: string;
  rating?: number;
  documents?: ReportingTurnKnowledgeDocument[];
}

export interface ReportingTurnKnowledgeSearch {
  searchId?: string;
  documents?: ReportingTurnKnowledgeDocument[];
  query?: string;
}

export interface ReportingTurnKnowledge {
  knowledgeBaseId?: string;
  feedback?: ReportingTurnKnowledgeFeedback;
  search?: ReportingTurnKnowledgeSearch;
}

export interface ReportingTurnKnowledgeSearchEvent {
  searchId?: string;
  knowledgeBaseId?: string;
  documents?: ReportingTurnKnowledgeDocument[];
  searchQuery?: string;
  answerDocumentId?: string;
}

export interface ReportingTurnKnowledgeFeedbackEvent {
  searchId?: string;
  knowledgeBaseId?: string;
  documents?: ReportingTurnKnowledgeDocument[];
  feedbackRating?: number;
  documentVariationId?: string;
  documentVersionId?: string;
}

export interface ReportingTurnKnowledgeEvents {
  search?: ReportingTurnKnowledgeSearchEvent[];
  feedback?: ReportingTurnKnowledgeFeedbackEvent[];
}

export type AskActionResult = OpenString<
  | 'OutdatedSdkVersion'
  | 'SuccessCollection'
  | 'SuccessConfirmationYes'
  | 'SuccessConfirmationNo'
  | 'SkippedCollection'
  | 'PartialCollection'
  | 'GuardrailsViolation'
  | 'NoMatchCollection'
  | 'NoMatchConfirmation'
  | 'AgentRequestedByUser'
  | 'ConfirmationRequired'
  | 'Error'
  | 'ExpressionError'
  | 'NoInputCollection'
  | 'NoInputConfirmation'
  | 'DisambiguationRequired'
  | 'SuccessDisambiguation'
  | 'SuccessDisambiguationNone'
  | 'NoMatchDisambiguation'
  | 'NoInputDisambiguation'
>;

export interface SessionEndDetails {
  type?: OpenString<'OutdatedSdkVersion' | 'Disconnect' | 'Exit'>;
  reason?: string;
}

export interface ReportingTurn {
  userInput?: string;
  botPrompts?: string[];
  sessionId?: string;
  conversation?: AddressableEntityRef;
  askAction?: ReportingTurnAction;
  intent?: ReportingTurnIntent;
  knowledge?: ReportingTurnKnowledge;
  knowledgeBaseEvents?: ReportingTurnKnowledgeEvents;
  dateCreated?: string;
  dateCompleted?: string;
  askActionResult?: AskActionResult;
  sessionEndDetails?: SessionEndDetails;
}

/** `reportingturns` page envelope. */
export interface ReportingTurnsResponse {
  entities?: ReportingTurn[];
  nextUri?: string;
  selfUri?: string;
  previousUri?: string;
}

/**
 * What Parley ingests for one bot flow session: the session as the sessions API returns it, plus
 * (optionally) the reporting turns Genesys holds for it, grouped by `sessionId`. Genesys serves the
 * two from separate endpoints; keeping them together lets one ingest item carry a whole transcript.
 * `turns` is Parley's key, not Genesys's, and is not stored in the session's `data`.
 */
export interface BotFlowSessionWithTurns extends BotFlowSession {
  turns?: ReportingTurn[];
}
