// Genesys Cloud customer journey `Session` (`GET /api/v2/journey/sessions/{sessionId}`), field names exactly
// as the vendor's. Top-level fields and its three enums: seed 004. Nested models (OutcomeAchievement,
// AchievedOutcome, SessionSegmentAssignment, AssignedSegment, CustomEventAttribute(List), Browser, Device,
// JourneyGeolocation, JourneyPage, JourneyCampaign, Referrer, SessionLastEvent, ConnectedQueue,
// ConnectedUser, ConversationUserDisposition, ConversationChannel, AddressableEntityRef): the Genesys
// Platform API SDK model docs, MyPureCloud/platform-client-sdk-java docs/<Model>.md (SDK 208-254).
// Every field is optional here but the session's `id`: real exports lack fields the SDK marks required,
// and Parley stores them as sent (the ingest reply warns about what the SDK requires). Enum-typed fields
// accept values Genesys adds later (kept raw; `OutdatedSdkVersion` is an old SDK's stand-in for such a
// value, not a real state). `app`, `sdkLibrary`, `networkConnectivity`, `divisionIds`, `lastScreen` and
// the case fields: SDK 182-255 (MyPureCloud/platform-client-sdk-python build/docs/Session.md, 257.1.0).

type OpenString<Known extends string> = Known | (string & {});

export interface AddressableEntityRef {
  id?: string;
  selfUri?: string;
}

export interface AchievedOutcome {
  id?: string;
  selfUri?: string;
}

export interface OutcomeAchievement {
  outcome?: AchievedOutcome;
  achievedDate?: string;
}

export interface AssignedSegment {
  id?: string;
  selfUri?: string;
}

export interface SessionSegmentAssignment {
  segment?: AssignedSegment;
  assignedDate?: string;
}

export interface CustomEventAttribute {
  dataType?: string;
  value?: string;
}

export interface CustomEventAttributeList {
  dataType?: string;
  values?: string[];
}

export interface Browser {
  family?: string;
  version?: string;
  /** BCP 47. */
  lang?: string;
  fingerprint?: string;
  isMobile?: boolean;
  viewHeight?: number;
  viewWidth?: number;
  featuresFlash?: boolean;
  featuresJava?: boolean;
  featuresPdf?: boolean;
  featuresWebrtc?: boolean;
}

export type DeviceCategory = OpenString<'OutdatedSdkVersion' | 'desktop' | 'mobile' | 'tablet' | 'other'>;

export interface Device {
  category?: DeviceCategory;
  type?: string;
  isMobile?: boolean;
  screenHeight?: number;
  screenWidth?: number;
  screenDensity?: number;
  fingerprint?: string;
  osFamily?: string;
  osVersion?: string;
  manufacturer?: string;
}

export interface JourneyGeolocation {
  country?: string;
  countryName?: string;
  latitude?: number;
  longitude?: number;
  locality?: string;
  postalCode?: string;
  region?: string;
  regionName?: string;
  source?: string;
  timezone?: string;
}

export interface JourneyPage {
  url?: string;
  title?: string;
  domain?: string;
  fragment?: string;
  hostname?: string;
  keywords?: string;
  lang?: string;
  pathname?: string;
  queryString?: string;
  breadcrumb?: string[];
}

export interface JourneyCampaign {
  content?: string;
  medium?: string;
  name?: string;
  source?: string;
  term?: string;
  clickId?: string;
  network?: string;
}

export type ReferrerMedium = OpenString<'OutdatedSdkVersion' | 'internal' | 'search' | 'social' | 'email' | 'unknown' | 'paid'>;

export interface Referrer {
  url?: string;
  domain?: string;
  hostname?: string;
  keywords?: string;
  pathname?: string;
  queryString?: string;
  fragment?: string;
  name?: string;
  medium?: ReferrerMedium;
}

export interface SessionLastEvent {
  id?: string;
  eventName?: string;
  createdDate?: string;
}

export interface ConnectedQueue {
  id?: string;
  selfUri?: string;
}

export interface ConnectedUser {
  id?: string;
  selfUri?: string;
}

export interface ConversationUserDisposition {
  code?: string;
  notes?: string;
  user?: AddressableEntityRef;
}

export type ConversationChannelType = OpenString<
  | 'OutdatedSdkVersion'
  | 'Unknown'
  | 'Call'
  | 'Callback'
  | 'Email'
  | 'GenericObject'
  | 'Messaging'
  | 'Social'
  | 'Webchat'
  | 'Voice'
  | 'Chat'
  | 'Cobrowse'
  | 'Video'
  | 'Screenshare'
  | 'Message'
>;

export type ConversationChannelMessageType = OpenString<
  'OutdatedSdkVersion' | 'Unknown' | 'Sms' | 'Twitter' | 'Facebook' | 'Line' | 'WhatsApp' | 'WebMessaging' | 'Open' | 'Instagram'
>;

export interface ConversationChannel {
  type?: ConversationChannelType;
  messageType?: ConversationChannelMessageType;
  platform?: string;
}

export type OriginatingDirection = OpenString<'OutdatedSdkVersion' | 'Unknown' | 'Inbound' | 'Outbound'>;

export type LastUserDisconnectType = OpenString<
  | 'OutdatedSdkVersion'
  | 'Unknown'
  | 'Endpoint'
  | 'Client'
  | 'System'
  | 'Transfer'
  | 'Error'
  | 'Peer'
  | 'Other'
  | 'Spam'
  | 'Timeout'
  | 'TransportFailure'
  | 'ConferenceTransfer'
  | 'ConsultTransfer'
  | 'ForwardTransfer'
  | 'NoAnswerTransfer'
  | 'NotAvailableTransfer'
  | 'Uncallable'
  | 'DoNotDisturbEndpoint'
  | 'DoNotDisturbTransfer'
  | 'SessionExpired'
  | 'Takeover'
>;

/** The application a customer used (app sessions). The SDK requires all four. */
export interface JourneyApp {
  /** e.g. mybankingapp */
  name?: string;
  /** e.g. com.genesys.bancodinero */
  namespace?: string;
  /** e.g. 5.9.27 */
  version?: string;
  /** e.g. 701 */
  buildNumber?: string;
}

/** The SDK library that generated the session's events (app and web sessions). The SDK requires both. */
export interface SdkLibrary {
  name?: string;
  version?: string;
}

/** The device's network connectivity (app sessions). The SDK requires the three flags. */
export interface NetworkConnectivity {
  carrier?: string;
  bluetoothEnabled?: boolean;
  cellularEnabled?: boolean;
  wifiEnabled?: boolean;
}

export type JourneyCaseStatus = OpenString<'OutdatedSdkVersion' | 'Unknown' | 'Open' | 'InProgress' | 'Terminated' | 'Closed'>;

/** A case associated with the session. The SDK requires its `id`. */
export interface JourneyCaseAssociation {
  id?: string;
  associatedCase?: AddressableEntityRef;
  caseReference?: string;
  dateAssociated?: string;
  selfUri?: string;
}

export type LastAcdOutcome = OpenString<'OutdatedSdkVersion' | 'Unknown' | 'Abandon' | 'Answered' | 'FlowOut'>;

export interface JourneySession {
  /** Optional in the SDK; Parley cannot store a session without it, so it is required here. */
  id: string;
  customerId?: string;
  customerIdType?: string;
  /** Session type: web, app, ticket, delivery, atm... */
  type?: string;
  /** The id in the system the events came from (not Parley's `externalId`, which is `id`). */
  externalId?: string;
  externalUrl?: string;
  shortId?: string;
  outcomeAchievements?: OutcomeAchievement[];
  segmentAssignments?: SessionSegmentAssignment[];
  attributes?: { [name: string]: CustomEventAttribute };
  attributeLists?: { [name: string]: CustomEventAttributeList };
  browser?: Browser;
  device?: Device;
  geolocation?: JourneyGeolocation;
  ipAddress?: string;
  ipOrganization?: string;
  lastPage?: JourneyPage;
  mktCampaign?: JourneyCampaign;
  referrer?: Referrer;
  searchTerms?: string[];
  userAgentString?: string;
  durationInSeconds?: number;
  eventCount?: number;
  pageviewCount?: number;
  screenviewCount?: number;
  lastEvent?: SessionLastEvent;
  lastConnectedQueue?: ConnectedQueue;
  lastConnectedUser?: ConnectedUser;
  lastUserDisposition?: ConversationUserDisposition;
  conversationChannels?: ConversationChannel[];
  originatingDirection?: OriginatingDirection;
  conversationSubject?: string;
  lastUserDisconnectType?: LastUserDisconnectType;
  lastAcdOutcome?: LastAcdOutcome;
  authenticated?: boolean;
  selfUri?: string;
  createdDate?: string;
  endedDate?: string;
  externalContact?: AddressableEntityRef;
  awayDate?: string;
  idleDate?: string;
  conversation?: AddressableEntityRef;
  /** Application that the customer is interacting with (for app sessions). */
  app?: JourneyApp;
  /** SDK library used to generate the events for the session (for app and web sessions). */
  sdkLibrary?: SdkLibrary;
  /** Information relating to the device's network connectivity (for app sessions). */
  networkConnectivity?: NetworkConnectivity;
  /** List of division IDs associated with the session. */
  divisionIds?: string[];
  /** The app screen name where the customer's last app interaction occurred. */
  lastScreen?: string;
  caseAssociations?: JourneyCaseAssociation[];
  caseEntity?: AddressableEntityRef;
  caseReference?: string;
  caseStatus?: JourneyCaseStatus;
}
