// The SessionFilter as a SQL condition on `"Session" s`, with the meaning `sessions(filter:)` gives it
// through Prisma (../queries/sessions.ts) and live subscriptions in memory (../live/filter.ts): the
// aggregates need raw SQL (time-zone buckets, percentiles), and must count exactly the sessions a
// listing with the same filter would list. Enum values are cast to the column's type so the indexes apply.
import { Prisma as P } from '../generated/prisma/client.js';
import type { ScopedSessionFilter } from '../queries/sessions.js';

const lower = (values: readonly string[]) => values.map((v) => v.toLowerCase());

/** `column IN (v1, v2, ...)`, each value cast to the column's type (array parameters do not pass every driver adapter). */
function oneOf(column: string, values: readonly string[], type: string): P.Sql {
  // An empty list matches nothing, as Prisma's `in: []` does for the listings.
  if (values.length === 0) return P.sql`FALSE`;
  return P.sql`${P.raw(column)} IN (${P.join(values.map((v) => P.sql`${v}::${P.raw(type)}`))})`;
}

export function sessionFilterSql(filter: ScopedSessionFilter): P.Sql {
  const conditions: P.Sql[] = [P.sql`s."tenantId" = ${filter.tenantId}::uuid`];
  if (filter.vendors) conditions.push(oneOf('s."vendor"', filter.vendors, '"Vendor"'));
  if (filter.kinds) conditions.push(oneOf('s."kind"', filter.kinds, '"SessionKind"'));
  if (filter.statuses) conditions.push(oneOf('s."status"', filter.statuses, '"SessionStatus"'));
  if (filter.outcomes) conditions.push(oneOf('s."outcome"', filter.outcomes, '"SessionOutcome"'));
  if (filter.botIds) conditions.push(oneOf('s."botId"', filter.botIds, 'text'));
  if (filter.channels) conditions.push(oneOf('s."channel"', lower(filter.channels), 'text'));
  if (filter.languages) conditions.push(oneOf('s."language"', lower(filter.languages), 'text'));
  if (filter.createdAfter) conditions.push(P.sql`s."createdAt" >= ${filter.createdAfter}`);
  if (filter.createdBefore) conditions.push(P.sql`s."createdAt" < ${filter.createdBefore}`);
  if (filter.conversationId) conditions.push(P.sql`s."conversationId" = ${filter.conversationId}::uuid`);
  return P.join(conditions, ' AND ');
}
