// The SessionFilter as a predicate on a stored row: live subscriptions filter in memory with the
// same meaning `sessions(filter:)` has in SQL (queries/sessions.ts), so a subscriber sees exactly the
// sessions a query with the same filter would list.
import type { ScopedSessionFilter, SessionRow } from '../queries/sessions.js';

const inList = <T>(list: readonly T[] | null | undefined, value: T) => !list || list.includes(value);

export function matchesFilter(session: SessionRow, filter: ScopedSessionFilter): boolean {
  const lower = (values: readonly string[] | null | undefined) => values?.map((v) => v.toLowerCase());
  return (
    session.tenantId === filter.tenantId &&
    inList(filter.vendors, session.vendor) &&
    inList(filter.kinds, session.kind) &&
    inList(filter.statuses, session.status) &&
    (!filter.outcomes || (session.outcome !== null && filter.outcomes.includes(session.outcome))) &&
    (!filter.botIds || (session.botId !== null && filter.botIds.includes(session.botId))) &&
    (!filter.channels || (session.channel !== null && lower(filter.channels)!.includes(session.channel))) &&
    (!filter.languages || (session.language !== null && lower(filter.languages)!.includes(session.language))) &&
    (!filter.createdAfter || session.createdAt >= filter.createdAfter) &&
    (!filter.createdBefore || session.createdAt < filter.createdBefore) &&
    (!filter.conversationId || session.conversationId === filter.conversationId)
  );
}
