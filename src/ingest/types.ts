// The ingest contract shared by the HTTP routes, the GraphQL mutations and the import CLI.

/** Every kind of document Parley ingests; each has an HTTP route and a mutation. */
export const INGEST_ROUTES = {
  'genesys.botFlowSessions': '/ingest/genesys/bot-flow-sessions',
  'genesys.reportingTurns': '/ingest/genesys/reporting-turns',
  'genesys.journeySessions': '/ingest/genesys/journey-sessions',
  'einstein.sessions': '/ingest/einstein/sessions',
  'chatlayer.sessions': '/ingest/chatlayer/sessions',
  'chatlayer.webhook': '/ingest/chatlayer/webhook',
} as const;
export type IngestRoute = keyof typeof INGEST_ROUTES;

/** Why one item of a batch was not stored: its position in the batch, the JSON path at fault, the reason. */
export interface Rejection {
  index: number;
  /** JSONPath into the item, `$` for the item itself, e.g. `$.messages[2].sequenceId`. */
  path: string;
  message: string;
}

export interface IngestReport {
  /** created + updated + unchanged. */
  accepted: number;
  created: number;
  updated: number;
  /** Replays, and snapshots older than what is stored (an older snapshot never overwrites a newer one). */
  unchanged: number;
  rejected: Rejection[];
}

/** One item as it arrives: a parsed value, or an item that could not even be parsed (an NDJSON line). */
export type IncomingItem =
  | { index: number; value: unknown; bytes: number }
  | { index: number; rejection: Omit<Rejection, 'index'> };

/** Chatlayer's own limit on a session, applied to every item. */
export const MAX_ITEM_BYTES = 10 * 1024 * 1024;

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: { path: string; message: string }[] };
