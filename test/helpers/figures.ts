// The metrics' per-session rollup ("SessionFigures") against a recount made here, in JavaScript, from
// the session and message rows: what the writer keeps must always equal what the tables say, whatever
// order and concurrency the writes came in. Counted independently of src/analytics (a check that ran
// the writer's own SQL again would agree with it by construction).

/** Runs a query and gives its rows (a bare pg client, or Prisma's $queryRawUnsafe). */
export type Query = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export interface RecountedMessage {
  kind: string;
  key: string;
  sender: string;
  intent: string | null;
  data: Record<string, unknown>;
}

const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A user turn the vendor judged (README, "Bot metrics"). */
export function isJudgedTurn(m: RecountedMessage): boolean {
  if (m.kind === 'BOT_FLOW') return m.key.startsWith('turn:') && m.key.endsWith(':0') && typeof m.data.askActionResult === 'string';
  return (
    m.kind === 'CHATLAYER' &&
    m.sender === 'USER' &&
    (isObject((m.data.snapshot as Record<string, unknown> | undefined)?.nlp) || (m.key.startsWith('snapshot:') && isObject(m.data.nlp)))
  );
}

/** ...that it did not understand. */
export const isFailedTurn = (m: RecountedMessage): boolean =>
  isJudgedTurn(m) && (m.kind === 'BOT_FLOW' ? /^No(Match|Input)/.test(m.data.askActionResult as string) : m.intent === null);

/** The session columns the figures copy. */
interface SessionColumns {
  tenantId: string;
  createdAt: Date | string;
  vendor: string;
  kind: string;
  botId: string | null;
  channel: string | null;
  language: string | null;
  status: string;
  outcome: string | null;
  conversationId: string | null;
}

interface SessionRow extends SessionColumns {
  id: string;
  endedAt: Date | string | null;
}

interface FigureRow extends SessionColumns {
  sessionId: string;
  duration: number | null;
  messages: number;
  userMessages: number;
  judgedTurns: number;
  failedTurns: number;
  intents: Record<string, number>;
}

const ms = (d: Date | string) => new Date(d).getTime();

/**
 * The sessions (whose external id is LIKE `externalIdLike`) whose stored figures differ from a recount,
 * each with what differs; a session without figures, or figures without a session, included.
 */
export async function figureMismatches(query: Query, externalIdLike = '%'): Promise<string[]> {
  const sessions = await query<SessionRow>(
    `SELECT s."id", s."tenantId"::text AS "tenantId", s."createdAt", s."vendor"::text AS "vendor", s."kind"::text AS "kind", s."botId", s."channel",
            s."language", s."status"::text AS "status", s."outcome"::text AS "outcome", s."conversationId"::text AS "conversationId", s."endedAt"
     FROM "Session" s WHERE s."externalId" LIKE $1`,
    [externalIdLike],
  );
  const messages = await query<RecountedMessage & { sessionId: string }>(
    `SELECT m."sessionId"::text AS "sessionId", s."kind"::text AS "kind", m."key", m."sender"::text AS "sender", m."intent", m."data"
     FROM "Message" m JOIN "Session" s ON s."id" = m."sessionId" WHERE s."externalId" LIKE $1`,
    [externalIdLike],
  );
  const figures = await query<FigureRow>(
    `SELECT f."sessionId"::text AS "sessionId", f."tenantId"::text AS "tenantId", f."createdAt", f."vendor"::text AS "vendor", f."kind"::text AS "kind",
            f."botId", f."channel", f."language", f."status"::text AS "status", f."outcome"::text AS "outcome", f."conversationId"::text AS "conversationId",
            f."duration", f."messages", f."userMessages", f."judgedTurns", f."failedTurns", f."intents"
     FROM "SessionFigures" f JOIN "Session" s ON s."id" = f."sessionId" WHERE s."externalId" LIKE $1`,
    [externalIdLike],
  );
  const orphans = await query<{ n: number }>(
    `SELECT count(*)::int AS "n" FROM "SessionFigures" f WHERE NOT EXISTS (SELECT 1 FROM "Session" s WHERE s."id" = f."sessionId")`,
    [],
  );
  const bySession = new Map<string, RecountedMessage[]>();
  for (const m of messages) bySession.set(m.sessionId, [...(bySession.get(m.sessionId) ?? []), m]);
  const stored = new Map(figures.map((f) => [f.sessionId, f]));
  const problems: string[] = Number(orphans[0]?.n ?? 0) > 0 ? [`${String(orphans[0]!.n)} figure rows without a session`] : [];
  for (const s of sessions) {
    const own = bySession.get(s.id) ?? [];
    const intents = Object.create(null) as Record<string, number>;
    for (const m of own) if (m.intent !== null) intents[m.intent] = (intents[m.intent] ?? 0) + 1;
    const expected = {
      tenantId: s.tenantId,
      createdAt: ms(s.createdAt),
      vendor: s.vendor,
      kind: s.kind,
      botId: s.botId,
      channel: s.channel,
      language: s.language,
      status: s.status,
      outcome: s.outcome,
      conversationId: s.conversationId,
      duration: s.outcome !== null && s.endedAt !== null ? (ms(s.endedAt) - ms(s.createdAt)) / 1000 : null,
      messages: own.length,
      userMessages: own.filter((m) => m.sender === 'USER').length,
      judgedTurns: own.filter(isJudgedTurn).length,
      failedTurns: own.filter(isFailedTurn).length,
      intents,
    };
    const row = stored.get(s.id);
    if (!row) {
      problems.push(`${s.id}: no figures`);
      continue;
    }
    const actual = { ...row, createdAt: ms(row.createdAt), duration: row.duration === null ? null : Number(row.duration) };
    for (const [name, value] of Object.entries(expected)) {
      const got = actual[name as keyof typeof actual];
      if (JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(value)))
        problems.push(`${s.id}: ${name} is ${JSON.stringify(got)}, recount ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

function sortKeys(value: unknown): unknown {
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
}
