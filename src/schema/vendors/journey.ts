// Genesys Cloud customer journey sessions (seed 004, Journey API `Session`), every field with its nested
// models. The seed's `id` is the interface's `externalId`; its own `externalId` (the id in the system the
// events came from) is `sourceExternalId`, and its `conversation` reference is `conversationRef`.
import type { Session } from '../../generated/prisma/client.js';
import type {
  AchievedOutcome,
  AssignedSegment,
  Browser,
  ConnectedQueue,
  ConnectedUser,
  ConversationChannel,
  ConversationChannelMessageType,
  ConversationChannelType,
  ConversationUserDisposition,
  CustomEventAttribute,
  CustomEventAttributeList,
  Device,
  DeviceCategory,
  JourneyApp,
  JourneyCampaign,
  JourneyCaseAssociation,
  JourneyCaseStatus,
  JourneyGeolocation,
  JourneyPage,
  JourneySession,
  LastAcdOutcome,
  LastUserDisconnectType,
  NetworkConnectivity,
  OriginatingDirection,
  OutcomeAchievement,
  Referrer,
  ReferrerMedium,
  SdkLibrary,
  SessionLastEvent,
  SessionSegmentAssignment,
} from '../../vendors/genesys-journey/native.js';
import { builder } from '../builder.js';
import { personal } from '../pii.js';
import { vendorEnum } from '../enums.js';
import { JourneySessionRef } from '../session.js';
import { AddressableEntityRefType, dateOrNull, enumWithRaw, knownValues, sessionData } from './shared.js';

/** The stored journey `Session` document. */
function journey(session: Session): Partial<JourneySession> {
  return sessionData(session) as Partial<JourneySession>;
}

// ---- enums ----

const OriginatingDirectionEnum = vendorEnum(
  'OriginatingDirection',
  knownValues<OriginatingDirection>({ OutdatedSdkVersion: true, Unknown: true, Inbound: true, Outbound: true }),
  'The original direction of a conversation.',
);

const LastUserDisconnectTypeEnum = vendorEnum(
  'LastUserDisconnectType',
  knownValues<LastUserDisconnectType>({
    OutdatedSdkVersion: true,
    Unknown: true,
    Endpoint: true,
    Client: true,
    System: true,
    Transfer: true,
    Error: true,
    Peer: true,
    Other: true,
    Spam: true,
    Timeout: true,
    TransportFailure: true,
    ConferenceTransfer: true,
    ConsultTransfer: true,
    ForwardTransfer: true,
    NoAnswerTransfer: true,
    NotAvailableTransfer: true,
    Uncallable: true,
    DoNotDisturbEndpoint: true,
    DoNotDisturbTransfer: true,
    SessionExpired: true,
    Takeover: true,
  }),
  'Why the last user connected to a conversation was disconnected.',
);

const JourneyCaseStatusEnum = vendorEnum(
  'JourneyCaseStatus',
  knownValues<JourneyCaseStatus>({ OutdatedSdkVersion: true, Unknown: true, Open: true, InProgress: true, Terminated: true, Closed: true }),
  'The status of the case associated with a journey session.',
);

const JourneyAppType = builder.objectRef<JourneyApp>('JourneyApp').implement({
  description: 'The application a customer used in an app journey session.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true, description: 'Name of the application (e.g. mybankingapp).' }),
    namespace: t.exposeString('namespace', { nullable: true, description: 'Namespace of the application (e.g. com.genesys.bancodinero).' }),
    version: t.exposeString('version', { nullable: true, description: 'Version of the application (e.g. 5.9.27).' }),
    buildNumber: t.exposeString('buildNumber', { nullable: true, description: 'Build number of the application (e.g. 701).' }),
  }),
});

const SdkLibraryType = builder.objectRef<SdkLibrary>('SdkLibrary').implement({
  description: 'The SDK library that generated the events of a journey session.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true, description: 'Name of the SDK.' }),
    version: t.exposeString('version', { nullable: true, description: 'Version of the SDK.' }),
  }),
});

const NetworkConnectivityType = builder.objectRef<NetworkConnectivity>('NetworkConnectivity').implement({
  description: "The device's network connectivity in an app journey session.",
  fields: (t) => ({
    carrier: t.exposeString('carrier', { nullable: true, description: 'The mobile carrier.' }),
    bluetoothEnabled: t.exposeBoolean('bluetoothEnabled', { nullable: true, description: 'Whether Bluetooth is on.' }),
    cellularEnabled: t.exposeBoolean('cellularEnabled', { nullable: true, description: 'Whether cellular data is on.' }),
    wifiEnabled: t.exposeBoolean('wifiEnabled', { nullable: true, description: 'Whether Wi-Fi is on.' }),
  }),
});

const JourneyCaseAssociationType = builder.objectRef<JourneyCaseAssociation>('JourneyCaseAssociation').implement({
  description: 'A case associated with a journey session.',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'The id of the association.' }),
    associatedCase: t.field({ type: AddressableEntityRefType, nullable: true, description: 'The case.', resolve: (c) => c.associatedCase ?? null }),
    caseReference: t.exposeString('caseReference', { nullable: true, description: 'The case reference.' }),
    dateAssociated: t.field({ type: 'DateTime', nullable: true, description: 'When the case was associated.', resolve: (c) => dateOrNull(c.dateAssociated) }),
    selfUri: t.exposeString('selfUri', { nullable: true }),
  }),
});

const LastAcdOutcomeEnum = vendorEnum(
  'LastAcdOutcome',
  knownValues<LastAcdOutcome>({ OutdatedSdkVersion: true, Unknown: true, Abandon: true, Answered: true, FlowOut: true }),
  'The last ACD (queue) outcome of a conversation.',
);

const DeviceCategoryEnum = vendorEnum(
  'DeviceCategory',
  knownValues<DeviceCategory>({ OutdatedSdkVersion: true, desktop: true, mobile: true, tablet: true, other: true }),
  'The category of a customer device.',
);

const ReferrerMediumEnum = vendorEnum(
  'ReferrerMedium',
  knownValues<ReferrerMedium>({ OutdatedSdkVersion: true, internal: true, search: true, social: true, email: true, unknown: true, paid: true }),
  'The medium of a referrer (search, social, email...).',
);

const ConversationChannelTypeEnum = vendorEnum(
  'ConversationChannelType',
  knownValues<ConversationChannelType>({
    OutdatedSdkVersion: true,
    Unknown: true,
    Call: true,
    Callback: true,
    Email: true,
    GenericObject: true,
    Messaging: true,
    Social: true,
    Webchat: true,
    Voice: true,
    Chat: true,
    Cobrowse: true,
    Video: true,
    Screenshare: true,
    Message: true,
  }),
  'The type of a channel used in a conversation.',
);

const ConversationChannelMessageTypeEnum = vendorEnum(
  'ConversationChannelMessageType',
  knownValues<ConversationChannelMessageType>({
    OutdatedSdkVersion: true,
    Unknown: true,
    Sms: true,
    Twitter: true,
    Facebook: true,
    Line: true,
    WhatsApp: true,
    WebMessaging: true,
    Open: true,
    Instagram: true,
  }),
  'The message type of a messaging channel used in a conversation.',
);

// ---- nested models ----

const AchievedOutcomeType = builder.objectRef<AchievedOutcome>('AchievedOutcome').implement({
  description: 'A journey outcome (a goal the customer can achieve) a customer achieved.',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'The id of the outcome.' }),
    selfUri: t.exposeString('selfUri', { nullable: true, description: 'The URI of the outcome.' }),
  }),
});

const OutcomeAchievementType = builder.objectRef<OutcomeAchievement>('OutcomeAchievement').implement({
  description: 'An outcome the customer achieved in a journey session, and when.',
  fields: (t) => ({
    outcome: t.field({ type: AchievedOutcomeType, nullable: true, description: 'The outcome achieved.', resolve: (a) => a.outcome ?? null }),
    achievedDate: t.field({ type: 'DateTime', nullable: true, description: 'When the outcome was achieved.', resolve: (a) => dateOrNull(a.achievedDate) }),
  }),
});

const AssignedSegmentType = builder.objectRef<AssignedSegment>('AssignedSegment').implement({
  description: 'A journey segment (a group of customers) a customer was assigned to.',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'The id of the segment.' }),
    selfUri: t.exposeString('selfUri', { nullable: true, description: 'The URI of the segment.' }),
  }),
});

const SessionSegmentAssignmentType = builder.objectRef<SessionSegmentAssignment>('SessionSegmentAssignment').implement({
  description: 'A segment the customer was assigned to in a journey session, and when.',
  fields: (t) => ({
    segment: t.field({ type: AssignedSegmentType, nullable: true, description: 'The segment assigned.', resolve: (a) => a.segment ?? null }),
    assignedDate: t.field({ type: 'DateTime', nullable: true, description: 'When the segment was assigned.', resolve: (a) => dateOrNull(a.assignedDate) }),
  }),
});

/** Genesys sends attributes as a map by name; as a list each entry carries its name. */
type Named<T> = T & { name: string };

function namedEntries<T>(map: { [name: string]: T } | undefined): Named<T>[] | null {
  if (map === undefined || map === null) return null;
  return Object.entries(map).map(([name, entry]) => ({ ...entry, name }));
}

const CustomEventAttributeType = builder.objectRef<Named<CustomEventAttribute>>('CustomEventAttribute').implement({
  description: "An attribute projected from a journey session's event stream.",
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name of the attribute (its key in the Genesys map).' }),
    dataType: t.exposeString('dataType', { nullable: true, description: 'The data type of the value (string, number...).' }),
    value: t.exposeString('value', { nullable: true, description: 'The value, as a string.' }),
  }),
});

const CustomEventAttributeListType = builder.objectRef<Named<CustomEventAttributeList>>('CustomEventAttributeList').implement({
  description: "A list-type attribute projected from a journey session's event stream.",
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name of the attribute (its key in the Genesys map).' }),
    dataType: t.exposeString('dataType', { nullable: true, description: 'The data type of the values (string, number...).' }),
    values: t.exposeStringList('values', { nullable: true, description: 'The values, as strings.' }),
  }),
});

const BrowserType = builder.objectRef<Browser>('Browser').implement({
  description: "The customer's browser.",
  fields: (t) => ({
    family: t.exposeString('family', { nullable: true, description: 'Browser family (e.g. Chrome, Safari, Firefox).' }),
    version: t.exposeString('version', { nullable: true, description: 'Browser version.' }),
    lang: t.exposeString('lang', { nullable: true, description: 'Language the browser is set to (BCP 47).' }),
    fingerprint: t.exposeString('fingerprint', { nullable: true, description: 'Fingerprint of the browser.' }),
    isMobile: t.exposeBoolean('isMobile', { nullable: true, description: 'Whether the browser is a mobile browser.' }),
    viewHeight: t.exposeInt('viewHeight', { nullable: true, description: 'Height of the browser viewport, in pixels.' }),
    viewWidth: t.exposeInt('viewWidth', { nullable: true, description: 'Width of the browser viewport, in pixels.' }),
    featuresFlash: t.exposeBoolean('featuresFlash', { nullable: true, description: 'Whether the browser supports Flash.' }),
    featuresJava: t.exposeBoolean('featuresJava', { nullable: true, description: 'Whether the browser supports Java.' }),
    featuresPdf: t.exposeBoolean('featuresPdf', { nullable: true, description: 'Whether the browser supports PDF viewing.' }),
    featuresWebrtc: t.exposeBoolean('featuresWebrtc', { nullable: true, description: 'Whether the browser supports WebRTC.' }),
  }),
});

const DeviceType = builder.objectRef<Device>('Device').implement({
  description: "The customer's device.",
  fields: (t) => ({
    ...enumWithRaw(t, 'category', DeviceCategoryEnum, (device) => device.category, 'Device category.'),
    type: t.exposeString('type', { nullable: true, description: 'Device type (e.g. iPhone, Other).' }),
    isMobile: t.exposeBoolean('isMobile', { nullable: true, description: 'Whether the device is a mobile device.' }),
    screenHeight: t.exposeInt('screenHeight', { nullable: true, description: 'Screen height, in pixels.' }),
    screenWidth: t.exposeInt('screenWidth', { nullable: true, description: 'Screen width, in pixels.' }),
    screenDensity: t.exposeFloat('screenDensity', { nullable: true, description: 'Screen density (device pixels per CSS pixel).' }),
    fingerprint: t.exposeString('fingerprint', { nullable: true, description: 'Fingerprint of the device.' }),
    osFamily: t.exposeString('osFamily', { nullable: true, description: 'Operating system family (e.g. iOS, Android).' }),
    osVersion: t.exposeString('osVersion', { nullable: true, description: 'Operating system version.' }),
    manufacturer: t.exposeString('manufacturer', { nullable: true, description: 'Device manufacturer.' }),
  }),
});

const JourneyGeolocationType = builder.objectRef<JourneyGeolocation>('JourneyGeolocation').implement({
  description: "The customer's geolocation.",
  fields: (t) => ({
    country: t.exposeString('country', { nullable: true, description: 'ISO 3166-1 alpha-2 country code.' }),
    countryName: t.exposeString('countryName', { nullable: true, description: 'Country name.' }),
    latitude: t.exposeFloat('latitude', { nullable: true, description: 'Latitude.' }),
    longitude: t.exposeFloat('longitude', { nullable: true, description: 'Longitude.' }),
    locality: t.exposeString('locality', { nullable: true, description: 'Locality or city.' }),
    postalCode: t.exposeString('postalCode', { nullable: true, description: 'Postal code.' }),
    region: t.exposeString('region', { nullable: true, description: 'ISO 3166-2 region code.' }),
    regionName: t.exposeString('regionName', { nullable: true, description: 'Region name.' }),
    source: t.exposeString('source', { nullable: true, description: 'Where the location came from (e.g. IP, GPS).' }),
    timezone: t.exposeString('timezone', { nullable: true, description: 'IANA time zone.' }),
  }),
});

const JourneyPageType = builder.objectRef<JourneyPage>('JourneyPage').implement({
  description: 'A web page of a customer journey.',
  fields: (t) => ({
    url: t.exposeString('url', { nullable: true, description: 'The URL of the page.' }),
    title: t.exposeString('title', { nullable: true, description: 'The title of the page.' }),
    domain: t.exposeString('domain', { nullable: true, description: 'The domain of the page.' }),
    fragment: t.exposeString('fragment', { nullable: true, description: 'The URL fragment (after #).' }),
    hostname: t.exposeString('hostname', { nullable: true, description: 'The hostname of the page.' }),
    keywords: t.exposeString('keywords', { nullable: true, description: "The page's keywords." }),
    lang: t.exposeString('lang', { nullable: true, description: 'The language of the page.' }),
    pathname: t.exposeString('pathname', { nullable: true, description: 'The path of the page.' }),
    queryString: t.exposeString('queryString', { nullable: true, description: 'The query string of the URL.' }),
    breadcrumb: t.exposeStringList('breadcrumb', { nullable: true, description: "The page's position in the site hierarchy." }),
  }),
});

const JourneyCampaignType = builder.objectRef<JourneyCampaign>('JourneyCampaign').implement({
  description: 'Marketing / traffic source information (UTM parameters).',
  fields: (t) => ({
    content: t.exposeString('content', { nullable: true, description: 'Differentiates ads or links to the same URL (utm_content).' }),
    medium: t.exposeString('medium', { nullable: true, description: 'The marketing medium (utm_medium).' }),
    name: t.exposeString('name', { nullable: true, description: 'The campaign name (utm_campaign).' }),
    source: t.exposeString('source', { nullable: true, description: 'The traffic source (utm_source).' }),
    term: t.exposeString('term', { nullable: true, description: 'Paid search keywords (utm_term).' }),
    clickId: t.exposeString('clickId', { nullable: true, description: 'The click id of the ad network.' }),
    network: t.exposeString('network', { nullable: true, description: 'The ad network.' }),
  }),
});

const ReferrerType = builder.objectRef<Referrer>('Referrer').implement({
  description: 'The page that originally generated the request for the current page.',
  fields: (t) => ({
    url: t.exposeString('url', { nullable: true, description: 'The referrer URL.' }),
    domain: t.exposeString('domain', { nullable: true, description: 'The referrer domain.' }),
    hostname: t.exposeString('hostname', { nullable: true, description: 'The referrer hostname.' }),
    keywords: t.exposeString('keywords', { nullable: true, description: 'The search keywords, for a search referrer.' }),
    pathname: t.exposeString('pathname', { nullable: true, description: 'The referrer path.' }),
    queryString: t.exposeString('queryString', { nullable: true, description: 'The query string of the referrer URL.' }),
    fragment: t.exposeString('fragment', { nullable: true, description: 'The fragment of the referrer URL.' }),
    name: t.exposeString('name', { nullable: true, description: 'The name of the referrer (e.g. Google).' }),
    ...enumWithRaw(t, 'medium', ReferrerMediumEnum, (referrer) => referrer.medium, 'The medium of the referrer.'),
  }),
});

const SessionLastEventType = builder.objectRef<SessionLastEvent>('SessionLastEvent').implement({
  description: 'The most recent event of a journey session.',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'The id of the event.' }),
    eventName: t.exposeString('eventName', { nullable: true, description: 'The name of the event.' }),
    createdDate: t.field({ type: 'DateTime', nullable: true, description: 'When the event happened.', resolve: (e) => dateOrNull(e.createdDate) }),
  }),
});

const ConnectedQueueType = builder.objectRef<ConnectedQueue>('ConnectedQueue').implement({
  description: 'A Genesys Cloud queue connected to a journey session.',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'The id of the queue.' }),
    selfUri: t.exposeString('selfUri', { nullable: true, description: 'The URI of the queue.' }),
  }),
});

const ConnectedUserType = builder.objectRef<ConnectedUser>('ConnectedUser').implement({
  description: 'A Genesys Cloud user (agent) connected to a journey session.',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'The id of the user.' }),
    selfUri: t.exposeString('selfUri', { nullable: true, description: 'The URI of the user.' }),
  }),
});

const ConversationUserDispositionType = builder.objectRef<ConversationUserDisposition>('ConversationUserDisposition').implement({
  description: 'The wrap-up (disposition) an agent gave a conversation.',
  fields: (t) => ({
    code: t.exposeString('code', { nullable: true, description: 'The wrap-up code.' }),
    notes: t.exposeString('notes', { nullable: true, description: "The agent's notes." }),
    user: t.field({ type: AddressableEntityRefType, nullable: true, description: 'The agent who gave it.', resolve: (d) => d.user ?? null }),
  }),
});

const ConversationChannelType = builder.objectRef<ConversationChannel>('ConversationChannel').implement({
  description: 'A channel used in a conversation.',
  fields: (t) => ({
    ...enumWithRaw(t, 'type', ConversationChannelTypeEnum, (channel) => channel.type, 'The type of the channel.'),
    ...enumWithRaw(t, 'messageType', ConversationChannelMessageTypeEnum, (channel) => channel.messageType, 'The message type, for a messaging channel.'),
    platform: t.exposeString('platform', { nullable: true, description: 'The platform of the channel (e.g. PureCloud Messaging, Edge).' }),
  }),
});

// ---- the session ----

builder.objectFields(JourneySessionRef, (t) => ({
  customerId: t.string({
    nullable: true,
    description: 'Primary identifier of the customer in the source where the events for the session originate from.',
    resolve: personal('JourneySession.customerId', (s) => journey(s).customerId ?? null),
  }),
  customerIdType: t.string({
    nullable: true,
    description: 'Type of source customer identifier (e.g. cookie, email, phone).',
    resolve: (s) => journey(s).customerIdType ?? null,
  }),
  type: t.string({
    nullable: true,
    description: "The type or category of the session (e.g. web, app, ticket, delivery, atm), as Genesys sent it; the interface's `channel` is its lower-case form.",
    resolve: (s) => journey(s).type ?? null,
  }),
  sourceExternalId: t.string({
    nullable: true,
    description:
      "Unique identifier in the external system where the events for the session originate from (Genesys `externalId`; Parley's `externalId` is the session id).",
    resolve: (s) => journey(s).externalId ?? null,
  }),
  externalUrl: t.string({
    nullable: true,
    description: 'A URL that identifies an external system-of-record resource that may have more detailed information on the session.',
    resolve: (s) => journey(s).externalUrl ?? null,
  }),
  shortId: t.string({ nullable: true, description: 'Shortened numeric identifier of 4-6 digits.', resolve: (s) => journey(s).shortId ?? null }),
  outcomeAchievements: t.field({
    type: [OutcomeAchievementType],
    nullable: true,
    description: 'The outcomes the customer achieved in this session.',
    resolve: (s) => journey(s).outcomeAchievements ?? null,
  }),
  segmentAssignments: t.field({
    type: [SessionSegmentAssignmentType],
    nullable: true,
    description: 'The segments the customer was assigned to in this session.',
    resolve: (s) => journey(s).segmentAssignments ?? null,
  }),
  attributes: t.field({
    type: [CustomEventAttributeType],
    nullable: true,
    description: "Attributes projected from the session's event stream (a map by name in Genesys; here a list of named entries, in the order sent).",
    resolve: personal('JourneySession.attributes', (s) => namedEntries(journey(s).attributes)),
  }),
  attributeLists: t.field({
    type: [CustomEventAttributeListType],
    nullable: true,
    description: "List-type attributes projected from the session's event stream (a map by name in Genesys; here a list of named entries).",
    resolve: personal('JourneySession.attributeLists', (s) => namedEntries(journey(s).attributeLists)),
  }),
  browser: t.field({ type: BrowserType, nullable: true, description: "The customer's browser.", resolve: (s) => journey(s).browser ?? null }),
  device: t.field({ type: DeviceType, nullable: true, description: "The customer's device.", resolve: (s) => journey(s).device ?? null }),
  geolocation: t.field({
    type: JourneyGeolocationType,
    nullable: true,
    description: "The customer's geolocation.",
    resolve: personal('JourneySession.geolocation', (s) => journey(s).geolocation ?? null),
  }),
  ipAddress: t.string({ nullable: true, description: "The customer's IP address.", resolve: personal('JourneySession.ipAddress', (s) => journey(s).ipAddress ?? null) }),
  ipOrganization: t.string({
    nullable: true,
    description: "The customer's IP-based organization or ISP name.",
    resolve: personal('JourneySession.ipOrganization', (s) => journey(s).ipOrganization ?? null),
  }),
  lastPage: t.field({
    type: JourneyPageType,
    nullable: true,
    description: "The web page where the customer's last web interaction occurred.",
    resolve: (s) => journey(s).lastPage ?? null,
  }),
  mktCampaign: t.field({
    type: JourneyCampaignType,
    nullable: true,
    description: 'Marketing / traffic source information.',
    resolve: (s) => journey(s).mktCampaign ?? null,
  }),
  referrer: t.field({
    type: ReferrerType,
    nullable: true,
    description: 'The page URL that originally generated the request for the current page being viewed.',
    resolve: (s) => journey(s).referrer ?? null,
  }),
  searchTerms: t.stringList({ nullable: true, description: 'Search terms associated with the session.', resolve: (s) => journey(s).searchTerms ?? null }),
  userAgentString: t.string({ nullable: true, description: 'String identifying the user agent.', resolve: (s) => journey(s).userAgentString ?? null }),
  durationInSeconds: t.int({
    nullable: true,
    description: 'How long the session has been active (valid for an individual device).',
    resolve: (s) => journey(s).durationInSeconds ?? null,
  }),
  eventCount: t.int({ nullable: true, description: 'The count of all events performed during the session.', resolve: (s) => journey(s).eventCount ?? null }),
  pageviewCount: t.int({ nullable: true, description: 'The count of all pageviews performed during the session.', resolve: (s) => journey(s).pageviewCount ?? null }),
  screenviewCount: t.int({
    nullable: true,
    description: 'The count of all screenviews performed during the session.',
    resolve: (s) => journey(s).screenviewCount ?? null,
  }),
  lastEvent: t.field({
    type: SessionLastEventType,
    nullable: true,
    description: 'The most recent event in this session.',
    resolve: (s) => journey(s).lastEvent ?? null,
  }),
  lastConnectedQueue: t.field({
    type: ConnectedQueueType,
    nullable: true,
    description: 'The last queue connected to this session.',
    resolve: (s) => journey(s).lastConnectedQueue ?? null,
  }),
  lastConnectedUser: t.field({
    type: ConnectedUserType,
    nullable: true,
    description: 'The last user connected to this session.',
    resolve: personal('JourneySession.lastConnectedUser', (s) => journey(s).lastConnectedUser ?? null),
  }),
  lastUserDisposition: t.field({
    type: ConversationUserDispositionType,
    nullable: true,
    description: 'The last user disposition connected to this session.',
    resolve: (s) => journey(s).lastUserDisposition ?? null,
  }),
  conversationChannels: t.field({
    type: [ConversationChannelType],
    nullable: true,
    description: 'The channels used for the conversation.',
    resolve: (s) => journey(s).conversationChannels ?? null,
  }),
  ...enumWithRaw(t, 'originatingDirection', OriginatingDirectionEnum, (s) => journey(s).originatingDirection, 'The original direction of the conversation.'),
  conversationSubject: t.string({
    nullable: true,
    description: 'The subject of the conversation, for example an email subject.',
    resolve: (s) => journey(s).conversationSubject ?? null,
  }),
  ...enumWithRaw(
    t,
    'lastUserDisconnectType',
    LastUserDisconnectTypeEnum,
    (s) => journey(s).lastUserDisconnectType,
    'Disconnect reason for the last user connected to the conversation.',
  ),
  ...enumWithRaw(t, 'lastAcdOutcome', LastAcdOutcomeEnum, (s) => journey(s).lastAcdOutcome, 'Last ACD outcome for the conversation.'),
  authenticated: t.boolean({
    nullable: true,
    description: 'Whether the session is authenticated.',
    resolve: (s) => journey(s).authenticated ?? null,
  }),
  selfUri: t.string({ nullable: true, description: 'The Genesys API URI of this session.', resolve: (s) => journey(s).selfUri ?? null }),
  createdDate: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'When the session was created.',
    resolve: (s) => dateOrNull(journey(s).createdDate),
  }),
  endedDate: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'When the session ended.',
    resolve: (s) => dateOrNull(journey(s).endedDate),
  }),
  externalContact: t.field({
    type: AddressableEntityRefType,
    nullable: true,
    description: 'The external contact associated with this session.',
    resolve: personal('JourneySession.externalContact', (s) => journey(s).externalContact ?? null),
  }),
  awayDate: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'When the visitor should be considered away.',
    resolve: (s) => dateOrNull(journey(s).awayDate),
  }),
  idleDate: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'When the visitor should be considered idle.',
    resolve: (s) => dateOrNull(journey(s).idleDate),
  }),
  conversationRef: t.field({
    type: AddressableEntityRefType,
    nullable: true,
    description: "Genesys's reference to the conversation for this session (Genesys `conversation`; the interface's `conversation` is Parley's Conversation).",
    resolve: (s) => journey(s).conversation ?? null,
  }),
  app: t.field({
    type: JourneyAppType,
    nullable: true,
    description: 'Application that the customer is interacting with (for app sessions).',
    resolve: (s) => journey(s).app ?? null,
  }),
  sdkLibrary: t.field({
    type: SdkLibraryType,
    nullable: true,
    description: 'SDK library used to generate the events for the session (for app and web sessions).',
    resolve: (s) => journey(s).sdkLibrary ?? null,
  }),
  networkConnectivity: t.field({
    type: NetworkConnectivityType,
    nullable: true,
    description: "Information relating to the device's network connectivity (for app sessions).",
    resolve: (s) => journey(s).networkConnectivity ?? null,
  }),
  divisionIds: t.stringList({
    nullable: true,
    description: 'List of division IDs associated with the session.',
    resolve: (s) => (Array.isArray(journey(s).divisionIds) ? journey(s).divisionIds!.filter((d): d is string => typeof d === 'string') : null),
  }),
  lastScreen: t.string({
    nullable: true,
    description: "The app screen name where the customer's last app interaction occurred.",
    resolve: (s) => journey(s).lastScreen ?? null,
  }),
  caseAssociations: t.field({
    type: [JourneyCaseAssociationType],
    nullable: true,
    description: 'Cases associated with the session.',
    resolve: (s) => (Array.isArray(journey(s).caseAssociations) ? journey(s).caseAssociations! : null),
  }),
  caseEntity: t.field({ type: AddressableEntityRefType, nullable: true, description: 'The case entity of the session.', resolve: (s) => journey(s).caseEntity ?? null }),
  caseReference: t.string({ nullable: true, description: 'The case reference of the session.', resolve: (s) => journey(s).caseReference ?? null }),
  ...enumWithRaw(t, 'caseStatus', JourneyCaseStatusEnum, (s) => journey(s).caseStatus, 'The status of the case associated with the session.'),
}));
