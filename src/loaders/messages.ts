// Transcript pages for many sessions at once: one statement for every session on a page,
// whatever the page size (a LATERAL join walks each session's (sessionId, sequence, ordinal, key) index).
import DataLoader from 'dataloader';
import type { Prisma } from '../db/client.js';
import { Prisma as P, type Message } from '../generated/prisma/client.js';
import type { PageRequest } from '../schema/paging.js';

/**
 * Where a message sits in its transcript: the order is (sequence, ordinal, key). Cursors issued before
 * messages had keys carry only the sequence, which was then unique (`ordinal` and `key` null).
 */
export type MessagePosition = { sequence: bigint; ordinal: number; key: string } | { sequence: bigint; ordinal: null; key: null };

export type MessagePageRequest = PageRequest<MessagePosition>;

/**
 * A transcript row as the page loader reads it: every column but the vendor's document (`data`) and the
 * content hash. A page of 50 transcripts is ~1,000 rows, and parsing ~1,000 vendor documents nobody
 * asked for was the largest cost of the dashboard query (issue 6); `data` is read on demand instead
 * (`createMessageDataLoader`, one statement for every message of a response that needs it).
 */
export type TranscriptMessage = Omit<Message, 'data' | 'contentHash'> & Partial<Pick<Message, 'data' | 'contentHash'>>;

const positionKey = (p: MessagePosition | null) => (p === null ? '' : `${p.sequence}/${p.ordinal ?? ''}/${p.key ?? ''}`);

function pageKey(request: MessagePageRequest): string {
  return `${request.limit}|${request.backward}|${positionKey(request.after)}|${positionKey(request.before)}`;
}

/** The rows strictly after (`>`) or before (`<`) a position, as a row comparison the index serves. */
function bound(position: MessagePosition, op: '>' | '<'): P.Sql {
  const cmp = P.raw(op);
  if (position.ordinal === null) return P.sql`AND m."sequence" ${cmp} ${position.sequence}`;
  return P.sql`AND (m."sequence", m."ordinal", m."key") ${cmp} (${position.sequence}::bigint, ${position.ordinal}::int, ${position.key}::text)`;
}

async function loadPages(prisma: Prisma, sessionIds: readonly string[], request: MessagePageRequest): Promise<TranscriptMessage[][]> {
  const bounds: P.Sql[] = [];
  if (request.after !== null) bounds.push(bound(request.after, '>'));
  if (request.before !== null) bounds.push(bound(request.before, '<'));
  const direction = request.backward ? P.sql`DESC` : P.sql`ASC`;
  const rows = await prisma.$queryRaw<TranscriptMessage[]>`
    SELECT m."id", m."sessionId", m."key", m."sequence", m."ordinal", m."sender", m."type", m."text", m."choices", m."timestamp", m."intent"
    FROM unnest(${[...sessionIds]}::uuid[]) AS s(id)
    CROSS JOIN LATERAL (
      SELECT * FROM "Message" m
      WHERE m."sessionId" = s.id ${bounds.length > 0 ? P.join(bounds, ' ') : P.empty}
      ORDER BY m."sequence" ${direction}, m."ordinal" ${direction}, m."key" ${direction}
      LIMIT ${request.limit + 1}
    ) m`;
  const bySession = new Map<string, TranscriptMessage[]>(sessionIds.map((id) => [id, []]));
  for (const row of rows) bySession.get(row.sessionId)?.push(row);
  return sessionIds.map((id) => bySession.get(id) ?? []);
}

async function loadCounts(prisma: Prisma, sessionIds: readonly string[]): Promise<number[]> {
  const groups = await prisma.message.groupBy({ by: ['sessionId'], where: { sessionId: { in: [...sessionIds] } }, _count: { _all: true } });
  const counts = new Map(groups.map((g) => [g.sessionId, g._count._all]));
  return sessionIds.map((id) => counts.get(id) ?? 0);
}

/** Per-request loaders: one DataLoader per distinct page request, so aliases with other arguments still batch. */
export function createMessageLoaders(prisma: Prisma) {
  const pages = new Map<string, DataLoader<string, TranscriptMessage[]>>();
  const counts = new DataLoader<string, number>((ids) => loadCounts(prisma, ids));
  return {
    page(sessionId: string, request: MessagePageRequest): Promise<TranscriptMessage[]> {
      const key = pageKey(request);
      let loader = pages.get(key);
      if (!loader) {
        loader = new DataLoader((ids) => loadPages(prisma, ids, request));
        pages.set(key, loader);
      }
      return loader.load(sessionId);
    },
    count(sessionId: string): Promise<number> {
      return counts.load(sessionId);
    },
  };
}

/**
 * Vendor documents of messages by id, for the messages a page loaded without them. The ids come from
 * rows this request already read through a tenant-scoped parent, so no tenant check is needed here.
 */
export function createMessageDataLoader(prisma: Prisma) {
  return new DataLoader<string, Message['data'] | null>(async (ids) => {
    const rows = await prisma.message.findMany({ where: { id: { in: [...ids] } }, select: { id: true, data: true } });
    const byId = new Map(rows.map((row) => [row.id, row.data]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
