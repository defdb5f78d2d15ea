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

/** Something the vendor's own model requires that an accepted item lacks; it was stored as sent. */
export type Warning = Rejection;

export interface IngestReport {
  /** created + updated + unchanged. */
  accepted: number;
  created: number;
  updated: number;
  /** Replays, and snapshots older than what is stored (an older snapshot never overwrites a newer one). */
  unchanged: number;
  /** Of the accepted items, those whose messages wait for their session (a turn that came first). */
  pending: number;
  rejected: Rejection[];
  /** Items accepted although the vendor's model requires something they lack (at most 1,000 listed). */
  warnings: Warning[];
}

/** One item as it arrives: a parsed value, or an item that could not even be parsed (an NDJSON line). */
export type IncomingItem = { index: number; value: unknown; bytes: number } | { index: number; rejection: Omit<Rejection, 'index'> };

/** Chatlayer's own limit on a session, applied to every item. */
export const MAX_ITEM_BYTES = 10 * 1024 * 1024;

export type ValidationResult<T> =
  | { ok: true; value: T; warnings?: { path: string; message: string }[] }
  | { ok: false; errors: { path: string; message: string }[] };

/** Where an item came from, beyond the item itself: the HTTP route's query parameters, a mutation's arguments. */
export interface IngestContext {
  /** Named values the caller gave for the whole batch (Einstein: `botId`, `sessionId`). */
  params: ReadonlyMap<string, string>;
}

/** Thrown by a handler that can only decide with the context that the item cannot be stored. */
export class ItemRejection extends Error {
  override name = 'ItemRejection';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}
