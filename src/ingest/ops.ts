// What a validated vendor document asks the writer to do: the vocabulary between the vendors' ingest
// handlers (src/vendors/<vendor>/ingest.ts) and the writer (./writer.ts), which knows no vendor.
import type { SessionKind, SessionOutcome, SessionStatus } from '../generated/prisma/enums.js';
import type { JsonObject, NormalizedMessage, NormalizedSession } from '../vendors/normalized.js';
import type { IngestContext, ValidationResult } from './types.js';

export type WriteResult = 'created' | 'updated' | 'unchanged';

/**
 * Changes a vendor event makes to a stored session without carrying the whole session: a Chatlayer
 * offload, an Einstein runtime response with a `sessionEnded` message. The writer combines patches so
 * that the result does not depend on their order (see ./plan.ts, `applyPatch`).
 */
export interface SessionPatch {
  status?: SessionStatus;
  outcome?: SessionOutcome | null;
  endedAt?: Date | null;
  /**
   * What the event adds to the stored vendor document (Einstein: `botVersion`, `processedSequenceIds`).
   * Pure: given the stored document, returns the new one.
   */
  mergeData?: (stored: JsonObject) => JsonObject;
}

/** What to do with messages whose session is not stored. */
export type WhenMissing =
  /** Keep them waiting for the session (a Genesys reporting turn can arrive first). */
  | { pend: true }
  /** Create the session from what the event says (a Chatlayer webhook, an Einstein runtime response). */
  | { stub: NormalizedSession }
  /** The event cannot create the session (an Einstein response whose bot id is nowhere to be found). */
  | { reject: { path: string; message: string } };

export type WriteOp =
  | {
      type: 'snapshot';
      session: NormalizedSession;
      /**
       * `upsert`: the snapshot's messages are the vendor's own, keyed by their `key`.
       * `append-new-text`: the snapshot carries only the user's latest message (Chatlayer); it is added
       * after the transcript unless it is the latest user message already stored.
       */
      messageMode: 'upsert' | 'append-new-text';
      /**
       * The document names no bot (`session.botId` is null) and the stored session's is to be kept; a
       * session Parley has not stored is rejected with this reason (an Einstein record without a bot id).
       */
      botIdFromStored?: { path: string; message: string };
      /**
       * A hash of the vendor document the snapshot was made from (the pipeline's; its members are in
       * canonical order). Recognises a replay without normalising and hashing every message again;
       * without it the writer hashes the normalised session (the demo data set, tests).
       */
      documentHash?: string;
    }
  | {
      type: 'messages';
      kind: SessionKind;
      externalId: string;
      messages: NormalizedMessage[];
      whenMissing: WhenMissing;
      patch?: SessionPatch;
      /** When the event itself happened (a webhook's timestamp): activity of the session, like its messages. */
      at?: Date | null;
      /**
       * The messages repeat what was sent before (a Chatlayer offload transcript): they fill gaps but never
       * replace a stored message, whose own delivery carried more (its id, its sender's details).
       */
      insertOnly?: boolean;
    };

/** What became of one operation. */
export type OpOutcome =
  | {
      result: WriteResult;
      /** Its messages wait for their session (counted in the ingest reply's `pending`). */
      pending: boolean;
    }
  | { rejected: { path: string; message: string } };

export function sessionKeyOf(op: WriteOp): { kind: SessionKind; externalId: string } {
  return op.type === 'snapshot' ? { kind: op.session.kind, externalId: op.session.externalId } : { kind: op.kind, externalId: op.externalId };
}

/** How one kind of document becomes a write: validate it, then turn it into an operation. */
export interface IngestHandler<Native = unknown> {
  validate(value: unknown): ValidationResult<Native>;
  toOp(value: Native, receivedAt: Date, context: IngestContext): WriteOp;
}

/** A route whose documents are whole sessions with their own messages (keyed by the vendor's ids). */
export function snapshotHandler<Native>(
  validate: IngestHandler<Native>['validate'],
  normalize: (document: Native, receivedAt: Date) => NormalizedSession,
): IngestHandler<Native> {
  return {
    validate,
    toOp: (document, receivedAt) => ({ type: 'snapshot', session: normalize(document, receivedAt), messageMode: 'upsert' }),
  };
}
