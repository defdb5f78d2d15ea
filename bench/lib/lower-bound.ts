// The read benchmark's lower bound (issues 6 and 12): each operation's data fetched by hand-written SQL
// through the bare driver and serialised as JSON by a bare node:http handler: no GraphQL, no ORM, no
// validation. It takes the same POST body as the gateway (Q1/Q3: the dashboard with its filter and
// `after`; Q2: `node(id)`; Q4: a filtered `totalCount`) and answers the very JSON the gateway does, so the
// suite can check the two are equal.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { decodeGlobalId, encodeGlobalId } from '../../src/schema/global-id.js';
import { decodeCursor, encodeCursor } from '../../src/schema/paging.js';
import { sessionTypeName } from '../../src/schema/session.js';
import type { SessionKind } from '../../src/generated/prisma/enums.js';
import { BENCH_TENANT_ID } from './query-data.js';
import { Q1_MESSAGES, Q1_PAGE, type DashboardMessage, type DashboardResponse, type DashboardSession, type GraphqlBody } from './query-ops.js';

interface SessionRow {
  id: string;
  kind: SessionKind;
  vendor: string;
  externalId: string;
  channel: string | null;
  language: string | null;
  status: string;
  outcome: string | null;
  createdAt: Date;
  lastActiveAt: Date;
  conversationId: string | null;
}

interface MessageRow {
  id: string;
  sessionId: string;
  sequence: string;
  sender: string;
  type: string;
  text: string | null;
  timestamp: Date | null;
}

const MESSAGE_TYPES = new Set(['TEXT', 'CHOICES', 'POSTBACK', 'INTRO', 'LOCATION', 'UPLOAD', 'TRANSFER', 'ESCALATE_TO_AGENT', 'SESSION_ENDED', 'UNKNOWN']);

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A session's fields as the gateway answers them (Q1's node, Q2's node but `endedAt`). */
function sessionFields(s: SessionRow) {
  return {
    id: encodeGlobalId(sessionTypeName[s.kind], s.id),
    __typename: sessionTypeName[s.kind],
    vendor: s.vendor,
    kind: s.kind,
    externalId: s.externalId,
    channel: s.channel,
    language: s.language,
    status: s.status,
    outcome: s.outcome,
    createdAt: s.createdAt.toISOString(),
    lastActiveAt: s.lastActiveAt.toISOString(),
  };
}

/** Q1 by hand: three statements (the page; then every transcript page and every conversation, at once). */
export async function dashboardByHand(pool: pg.Pool, vendors: readonly string[], after: string | null): Promise<DashboardResponse> {
  const params: unknown[] = [BENCH_TENANT_ID, vendors];
  let keyset = '';
  if (after !== null) {
    const [at, id] = decodeCursor(after, 'session:createdAt:desc') as [string, string];
    params.push(at, id);
    keyset = 'AND ("createdAt", id) < ($3::timestamptz, $4::uuid)';
  }
  const { rows: sessions } = await pool.query<SessionRow>(
    `SELECT id, kind, vendor, "externalId", channel, language, status, outcome, "createdAt", "lastActiveAt", "conversationId"
     FROM "Session" WHERE "tenantId" = $1 AND vendor = ANY($2::"Vendor"[]) ${keyset}
     ORDER BY "createdAt" DESC, id DESC LIMIT ${Q1_PAGE + 1}`,
    params,
  );
  const page = sessions.slice(0, Q1_PAGE);
  const ids = page.map((s) => s.id);
  const conversationIds = [...new Set(page.flatMap((s) => (s.conversationId === null ? [] : [s.conversationId])))];
  const [messages, conversations] = await Promise.all([
    pool.query<MessageRow>(
      `SELECT m.id, m."sessionId", m.sequence, m.sender, m.type, m.text, m.timestamp
       FROM unnest($1::uuid[]) AS s(id)
       CROSS JOIN LATERAL (SELECT * FROM "Message" m WHERE m."sessionId" = s.id ORDER BY m.sequence, m.ordinal, m.key LIMIT ${Q1_MESSAGES + 1}) m`,
      [ids],
    ),
    pool.query<{ id: string; externalId: string }>(`SELECT id, "externalId" FROM "Conversation" WHERE id = ANY($1::uuid[])`, [conversationIds]),
  ]);
  const bySession = new Map<string, MessageRow[]>(ids.map((id) => [id, []]));
  for (const row of messages.rows) bySession.get(row.sessionId)?.push(row);
  const conversationById = new Map(conversations.rows.map((c) => [c.id, c]));
  const cursorOf = (s: SessionRow) => encodeCursor('session:createdAt:desc', [s.createdAt.toISOString(), s.id]);
  const edges = page.map((s): { cursor: string; node: DashboardSession } => {
    const transcript = bySession.get(s.id) ?? [];
    const conversation = s.conversationId === null ? undefined : conversationById.get(s.conversationId);
    return {
      cursor: cursorOf(s),
      node: {
        ...sessionFields(s),
        conversation: conversation ? { id: encodeGlobalId('Conversation', conversation.id), externalId: conversation.externalId } : null,
        messages: {
          pageInfo: { hasNextPage: transcript.length > Q1_MESSAGES },
          edges: transcript.slice(0, Q1_MESSAGES).map((m): { node: DashboardMessage } => ({
            node: {
              id: encodeGlobalId('Message', m.id),
              sequence: Number(m.sequence),
              sender: m.sender,
              type: MESSAGE_TYPES.has(m.type) ? m.type : 'UNKNOWN',
              text: m.text,
              timestamp: m.timestamp === null ? null : m.timestamp.toISOString(),
            },
          })),
        },
      },
    };
  });
  return {
    data: {
      sessions: {
        pageInfo: { hasNextPage: sessions.length > Q1_PAGE, endCursor: edges.at(-1)?.cursor ?? null },
        edges,
      },
    },
  };
}

const KIND_OF_TYPE = new Map<string, string>(Object.entries(sessionTypeName).map(([kind, typename]) => [typename, kind]));

/** Q2 by hand: one session by its global id, the fields NODE asks for (null for an id of no session). */
export async function nodeByHand(pool: pg.Pool, globalId: string): Promise<{ data: { node: Record<string, unknown> | null } }> {
  const { typename, id } = decodeGlobalId(globalId);
  const kind = KIND_OF_TYPE.get(typename);
  if (kind === undefined) return { data: { node: null } };
  const { rows } = await pool.query<SessionRow & { endedAt: Date | null }>(
    `SELECT id, kind, vendor, "externalId", channel, language, status, outcome, "createdAt", "lastActiveAt", "endedAt"
     FROM "Session" WHERE id = $1 AND kind = $2 AND "tenantId" = $3`,
    [id, kind, BENCH_TENANT_ID],
  );
  const s = rows[0];
  if (!s) return { data: { node: null } };
  return {
    data: {
      node: { ...sessionFields(s), endedAt: s.endedAt === null ? null : s.endedAt.toISOString() },
    },
  };
}

/** Q4 by hand: how many of the tenant's sessions match the vendors, outcomes and creation period. */
export async function countByHand(
  pool: pg.Pool,
  filter: { vendors: string[]; outcomes: string[]; createdAfter: string; createdBefore: string },
): Promise<{ data: { sessions: { totalCount: number } } }> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM "Session"
     WHERE "tenantId" = $1 AND vendor = ANY($2::"Vendor"[]) AND outcome = ANY($3::"SessionOutcome"[]) AND "createdAt" >= $4 AND "createdAt" < $5`,
    [BENCH_TENANT_ID, filter.vendors, filter.outcomes, filter.createdAfter, filter.createdBefore],
  );
  return { data: { sessions: { totalCount: Number(rows[0]!.n) } } };
}

export interface LowerBoundServer {
  url: string;
  /** Requests answered since the last reset. */
  requests: number;
  close(): Promise<void>;
}

/** The bare HTTP server: POST a GraphQL-shaped body: Q1/Q3 (`variables.filter.vendors`, `after`), Q2 (`variables.id`), Q4 (`totalCount`). */
export async function startLowerBound(url: string, poolSize: number): Promise<LowerBoundServer> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  let server: Server | undefined;
  const state: LowerBoundServer = {
    url: '',
    requests: 0,
    async close() {
      await new Promise<void>((resolve) => {
        server?.closeAllConnections();
        server?.close(() => resolve());
      });
      await pool.end();
    },
  };
  server = createServer((request, response) => {
    state.requests += 1;
    readBody(request)
      .then(async (text) => {
        const body = JSON.parse(text) as GraphqlBody;
        const variables = body.variables ?? {};
        let result: unknown;
        if (typeof variables.id === 'string') result = await nodeByHand(pool, variables.id);
        else if (body.query.includes('totalCount')) result = await countByHand(pool, variables.filter as Parameters<typeof countByHand>[1]);
        else {
          const filter = (variables.filter ?? {}) as { vendors?: string[] };
          const after = typeof variables.after === 'string' ? variables.after : null;
          result = await dashboardByHand(pool, filter.vendors ?? ['GENESYS_CLOUD', 'SALESFORCE_EINSTEIN', 'CHATLAYER'], after);
        }
        const json = JSON.stringify(result);
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
        response.end(json);
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  state.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/graphql`;
  return state;
}
