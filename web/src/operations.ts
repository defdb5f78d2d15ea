// The operations the monitor sends, and the shapes it reads. Public API only (README, "The graph").

export type Vendor = 'GENESYS_CLOUD' | 'SALESFORCE_EINSTEIN' | 'CHATLAYER';
export type Status = 'ACTIVE' | 'ENDED' | 'TRANSFERRED';

export interface SessionRow {
  id: string;
  __typename: string;
  vendor: Vendor;
  kind: string;
  externalId: string;
  botId: string | null;
  channel: string | null;
  status: Status;
  outcome: string | null;
  createdAt: string;
  lastActiveAt: string;
}

export interface Filter {
  vendors?: Vendor[];
  botIds?: string[];
  statuses?: Status[];
}

/** What the page sends to check a key before anything else. */
export const MONITOR_KEY_CHECK = '{ __typename }';

const ROW = 'id __typename vendor kind externalId botId channel status outcome createdAt lastActiveAt';

export const SESSIONS = /* GraphQL */ `
  query MonitorSessions($filter: SessionFilter) {
    sessions(first: 50, filter: $filter, orderBy: { field: CREATED_AT, direction: DESC }) { edges { node { ${ROW} } } }
  }
`;

export const SESSION_UPDATES = /* GraphQL */ `
  subscription MonitorSessionUpdates($filter: SessionFilter) {
    sessionUpdated(filter: $filter) { kind session { ${ROW} } }
  }
`;

export interface Figures {
  sessions: number;
  ended: number;
  escalated: number;
  containmentRate: number | null;
  escalationRate: number | null;
}

const FIGURES = 'sessions ended escalated containmentRate escalationRate';

export const TODAY = /* GraphQL */ `
  query MonitorToday($filter: SessionFilter, $timeZone: String) {
    botMetrics(filter: $filter, timeZone: $timeZone) { ${FIGURES} }
    active: sessions(filter: { statuses: [ACTIVE] }) { totalCount }
  }
`;

export const TODAY_UPDATES = /* GraphQL */ `
  subscription MonitorTodayUpdates($filter: SessionFilter, $timeZone: String) {
    botMetricsUpdated(filter: $filter, timeZone: $timeZone) { ${FIGURES} }
  }
`;

export const ACTIVE = /* GraphQL */ `
  query MonitorActive { active: sessions(filter: { statuses: [ACTIVE] }) { totalCount } }
`;

export interface MessageRow {
  id: string;
  sender: string;
  type: string;
  text: string | null;
  timestamp: string | null;
}

const MESSAGE = 'id sender type text timestamp';

export interface SessionDetail extends SessionRow {
  language: string | null;
  endedAt: string | null;
  conversation: {
    externalId: string;
    sessions: { edges: { node: Pick<SessionRow, 'id' | 'vendor' | 'kind' | 'externalId' | 'status' | 'outcome'> }[] };
  } | null;
  messages: { edges: { node: MessageRow }[] };
  [vendorField: string]: unknown;
}

export const SESSION = /* GraphQL */ `
  query MonitorSession($id: ID!) {
    node(id: $id) {
      ... on Session {
        ${ROW} language endedAt
        conversation { externalId sessions(first: 10) { edges { node { id vendor kind externalId status outcome } } } }
        messages(first: 100) { edges { node { ${MESSAGE} } } }
      }
      ... on BotFlowSession { flow { id } botResult botResultCategory endLanguage dateCompleted }
      ... on EinsteinBotSession { sessionId botVersion statusRaw sessionEnded externalSessionKey }
      ... on ChatlayerSession { version locale preferredLanguage nlp { expression intent { name score } } currentDialogState { name } offload { offloadedAt } }
      ... on JourneySession { type shortId eventCount authenticated }
    }
  }
`;

export const SESSION_MESSAGES = /* GraphQL */ `
  subscription MonitorTranscript($id: ID!) { sessionMessages(sessionId: $id) { ${MESSAGE} } }
`;

/** The vendor's own fields of each session type, as the pane lists them. */
export const VENDOR_FIELDS: Record<string, string[]> = {
  BotFlowSession: ['flow', 'botResult', 'botResultCategory', 'endLanguage', 'dateCompleted'],
  EinsteinBotSession: ['sessionId', 'botVersion', 'statusRaw', 'sessionEnded', 'externalSessionKey'],
  ChatlayerSession: ['version', 'locale', 'preferredLanguage', 'nlp', 'currentDialogState', 'offload'],
  JourneySession: ['type', 'shortId', 'eventCount', 'authenticated'],
};
