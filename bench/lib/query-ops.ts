// The read benchmark's operations (issue 6), shared by the suite, the baselines and the smoke test.
import { encodeCursor } from '../../src/schema/paging.js';

/** Sessions per dashboard page, and messages per session on it. */
export const Q1_PAGE = 50;
export const Q1_MESSAGES = 20;
/** Q3 starts this many rows into the same listing. */
export const Q3_OFFSET = 10_000;

/** Q1 and Q3: the dashboard page (Q3 passes `after`). No totalCount: Q4 measures that on its own. */
export const DASHBOARD = /* GraphQL */ `query Dashboard($filter: SessionFilter, $after: String) {
  sessions(first: ${Q1_PAGE}, after: $after, filter: $filter, orderBy: { field: CREATED_AT, direction: DESC }) {
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id
        __typename
        vendor
        kind
        externalId
        channel
        language
        status
        outcome
        createdAt
        lastActiveAt
        conversation { id externalId }
        messages(first: ${Q1_MESSAGES}) {
          pageInfo { hasNextPage }
          edges { node { id sequence sender type text timestamp } }
        }
      }
    }
  }
}`;

/** Q1's filter: the Genesys Cloud sessions (bot flows and journeys), newest first. */
export const DASHBOARD_FILTER = { vendors: ['GENESYS_CLOUD'] } as const;

/** Q2: a session by its global id. */
export const NODE = /* GraphQL */ `query Node($id: ID!) {
  node(id: $id) {
    id
    __typename
    ... on Session { vendor kind externalId channel language status outcome createdAt lastActiveAt endedAt }
  }
}`;

/** Q4: how many sessions match a vendor, an outcome and a date range. */
export const COUNT = /* GraphQL */ `query Count($filter: SessionFilter) {
  sessions(first: 0, filter: $filter) { totalCount }
}`;

/** Q4's filter: escalated Genesys sessions of the 30 days before `end`. */
export function countFilter(endMs: number): { vendors: string[]; outcomes: string[]; createdAfter: string; createdBefore: string } {
  return {
    vendors: ['GENESYS_CLOUD'],
    outcomes: ['ESCALATED'],
    createdAfter: new Date(endMs - 30 * 86_400_000).toISOString(),
    createdBefore: new Date(endMs).toISOString(),
  };
}

/** The cursor of a row of Q1's listing (createdAt, descending), as the gateway encodes it. */
export const dashboardCursor = (createdAt: Date, id: string): string => encodeCursor('session:createdAt:desc', [createdAt.toISOString(), id]);

export interface GraphqlBody {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

// ---- the Q1 response, as every implementation must return it ----

export interface DashboardMessage {
  id: string;
  sequence: number;
  sender: string;
  type: string;
  text: string | null;
  timestamp: string | null;
}

export interface DashboardSession {
  id: string;
  __typename: string;
  vendor: string;
  kind: string;
  externalId: string;
  channel: string | null;
  language: string | null;
  status: string;
  outcome: string | null;
  createdAt: string;
  lastActiveAt: string;
  conversation: { id: string; externalId: string } | null;
  messages: { pageInfo: { hasNextPage: boolean }; edges: { node: DashboardMessage }[] };
}

export interface DashboardResponse {
  data: {
    sessions: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { cursor: string; node: DashboardSession }[];
    };
  };
}
