// Reading sessions: the filter → Prisma `where`, and one keyset page in a single statement. (Writing: src/ingest/.)
import type { Prisma } from '../db/client.js';
import type { Prisma as P, Session } from '../generated/prisma/client.js';
import type { MessageSender, SessionKind, SessionOutcome, SessionStatus, Vendor } from '../generated/prisma/enums.js';
import type { PageRequest } from '../schema/paging.js';

export interface SessionFilter {
  vendors?: Vendor[] | null;
  kinds?: SessionKind[] | null;
  statuses?: SessionStatus[] | null;
  outcomes?: SessionOutcome[] | null;
  botIds?: string[] | null;
  channels?: string[] | null;
  languages?: string[] | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  /** Parley's own conversation id (already decoded from its global id). */
  conversationId?: string | null;
}

/** A filter confined to one tenant: the only kind the store accepts, so no read can cross tenants. */
export interface ScopedSessionFilter extends SessionFilter {
  tenantId: string;
}

export type SessionOrderField = 'createdAt' | 'lastActiveAt';
export type OrderDirection = 'asc' | 'desc';

export interface SessionOrder {
  field: SessionOrderField;
  direction: OrderDirection;
}

/** The sort value and id of a row: what a keyset cursor carries. */
export interface SessionKey {
  at: Date;
  id: string;
}

// Channels and languages are stored lower-case; match them the same way whatever the caller typed.
const lower = (values: string[]) => values.map((v) => v.toLowerCase());

export function sessionWhere(filter: ScopedSessionFilter): P.SessionWhereInput {
  const where: P.SessionWhereInput = { tenantId: filter.tenantId };
  if (filter.vendors) where.vendor = { in: filter.vendors };
  if (filter.kinds) where.kind = { in: filter.kinds };
  if (filter.statuses) where.status = { in: filter.statuses };
  if (filter.outcomes) where.outcome = { in: filter.outcomes };
  if (filter.botIds) where.botId = { in: filter.botIds };
  if (filter.channels) where.channel = { in: lower(filter.channels) };
  if (filter.languages) where.language = { in: lower(filter.languages) };
  if (filter.createdAfter || filter.createdBefore) {
    where.createdAt = {
      ...(filter.createdAfter ? { gte: filter.createdAfter } : {}),
      ...(filter.createdBefore ? { lt: filter.createdBefore } : {}),
    };
  }
  if (filter.conversationId) where.conversationId = filter.conversationId;
  return where;
}

/**
 * Rows strictly beyond `key` in the direction `cmp`. The plain `lte`/`gte` bound duplicates the OR
 * on purpose: PostgreSQL can start the index scan there, so deep pages cost what the first one does.
 */
function beyond(field: SessionOrderField, cmp: 'gt' | 'lt', key: SessionKey): P.SessionWhereInput {
  const bound = cmp === 'gt' ? 'gte' : 'lte';
  return {
    AND: [{ [field]: { [bound]: key.at } }, { OR: [{ [field]: { [cmp]: key.at } }, { [field]: key.at, id: { [cmp]: key.id } }] }],
  };
}

/**
 * The columns a session is read with: all but the vendor's document (`data`, tens of KB of JSON to
 * parse per row) and the content hash. A listing never needs them; the vendor fields read `data`
 * when they are asked for, in one statement per response (`RequestLoaders.sessionData`).
 */
export const SESSION_COLUMNS = {
  id: true,
  tenantId: true,
  kind: true,
  vendor: true,
  externalId: true,
  botId: true,
  channel: true,
  language: true,
  status: true,
  outcome: true,
  createdAt: true,
  lastActiveAt: true,
  endedAt: true,
  conversationId: true,
  sourceUpdatedAt: true,
  ingestedAt: true,
  updatedAt: true,
} as const satisfies P.SessionSelect;

/** A session as the graph reads it: without its document unless it was read with it. */
export type SessionRow = Omit<Session, 'data' | 'contentHash'> & Partial<Pick<Session, 'data' | 'contentHash'>>;

export async function findSessionPage(
  prisma: Prisma,
  filter: ScopedSessionFilter,
  order: SessionOrder,
  request: PageRequest<SessionKey>,
): Promise<SessionRow[]> {
  const forward = order.direction === 'asc' ? 'gt' : 'lt';
  const backward = order.direction === 'asc' ? 'lt' : 'gt';
  const conditions: P.SessionWhereInput[] = [sessionWhere(filter)];
  if (request.after) conditions.push(beyond(order.field, forward, request.after));
  if (request.before) conditions.push(beyond(order.field, backward, request.before));
  // Paging backwards reads the index the other way round; the caller flips the rows back.
  const fetchDirection = request.backward ? (order.direction === 'asc' ? 'desc' : 'asc') : order.direction;
  return prisma.session.findMany({
    select: SESSION_COLUMNS,
    where: { AND: conditions },
    orderBy: [{ [order.field]: fetchDirection }, { id: fetchDirection }],
    take: request.limit + 1,
  });
}

export function countSessions(prisma: Prisma, filter: ScopedSessionFilter): Promise<number> {
  return prisma.session.count({ where: sessionWhere(filter) });
}

export type { MessageSender };
