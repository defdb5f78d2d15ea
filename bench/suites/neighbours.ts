// Noisy neighbours (issue 22): can one tenant, staying inside the rate and cost limits, slow another?
//
// A production gateway (the compiled dist/main.js, NODE_ENV=production: keys required, 20 req/s with
// bursts of 60 per key, cost limit 25,000) runs as a process of its own on a fresh PostgreSQL database
// holding two tenants' data. The victim — another tenant — runs README's Dashboard query one request
// after another from a process of its own; the attacker, from a third process, runs each of issue 22's
// attacks in turn for a fixed time:
//   1. 50 equal `botMetricsUpdated` subscriptions (one read key) while it ingests one session a second;
//   2. `nodes(ids:)` with 24,000 made-up ids, eight requests at once, again and again;
//   3. 600 differently spelled `sessionUpdated` subscriptions with heavy selections (12 read keys of the
//      tenant, 50 each: within each key's burst) while it ingests one message a second;
//   4. with a small subscription cap (a gateway started with MAX_SUBSCRIPTIONS=200,
//      MAX_SUBSCRIPTIONS_PER_KEY=100 and MAX_SUBSCRIPTIONS_PER_TENANT=100 — a setting today's gateway
//      does not know and ignores), two read keys fill the process: can the victim still subscribe?
//   5. requests with random well-formed unknown keys: the database transactions they cause, the victim's
//      latency under them, and whether a key whose prefix exists answers slower than one whose does not.
// The victim's p50, p99 and max are reported under each attack and, in the same run, without one (the
// baseline, measured first and again last), as ratios of the baseline's p50. A refusal of the attacker
// (COST_LIMIT_EXCEEDED, TOO_MANY_SUBSCRIPTIONS, RATE_LIMITED...) is a result, reported with the rest:
// the same suite measures the gateway before and after it learns to refuse.
//
// Between attacks the subscriptions are closed and the gateway is given time to settle: until the
// victim's query is back near its baseline (five answers in a row), or, after `settleMs`, the gateway is
// restarted (and the result says so), so one attack's leftovers never count against the next.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createApiKey } from '../../src/auth/keys.js';
import type { Scope } from '../../src/auth/principal.js';
import { openDatabase } from '../../src/db/client.js';
import { INGEST_ROUTES } from '../../src/ingest/types.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';
import { ensureBuilt } from '../../scripts/dist.mjs';
import { createPostgresDatabase } from '../lib/database.js';
import { einsteinDocuments, genesysBotFlowDocuments } from '../lib/generate.js';
import { builtGatewayMentions, metricValue, sleep, startGatewayProcess, Worker, type GatewayProcess, type LoggedError } from '../lib/neighbours-harness.js';
import type { FloodReport, RepeatReport, RequestSample, SubscriptionsReport } from '../lib/neighbours-protocol.js';
import { createRandom, deriveSeed } from '../lib/random.js';
import { renderTable, type Cell } from '../lib/report.js';
import { DEFAULT_QUERY } from '../../src/gateway.js';

export const ATTACKS = [1, 2, 3, 4, 5] as const;
export type AttackNumber = (typeof ATTACKS)[number];

export interface NeighboursSuiteOptions {
  /** Sessions seeded per tenant (half Einstein, half Genesys bot flow; 10-30 messages each). */
  sessions: number;
  seed: number;
  /** How long the victim is measured: the baseline and each attack (default 15 s). */
  seconds: number;
  /** Which attacks to run (default all five). */
  attacks: readonly AttackNumber[];
  /** Attack 1: equal botMetricsUpdated subscriptions (default 50). */
  metricsSubscriptions?: number;
  /** Attack 2: ids per nodes(ids:) request (default 24,000) and requests at once (default 8). */
  nodesIds?: number;
  nodesConcurrency?: number;
  /** Attack 3: differently spelled sessionUpdated subscriptions (default 600), over keys of `perKey` each (default 50). */
  heavySubscriptions?: number;
  heavyPerKey?: number;
  /** Attack 4: the gateway's caps for the attack (default 200 per process, 100 per key, 100 per tenant). */
  subscriptionCap?: { process: number; perKey: number; perTenant: number };
  /** Attack 5: unknown-key requests counted (default 4,700 in 5 s) and their rate under which the victim is measured. */
  floodRequests?: number;
  floodSeconds?: number;
  /** Attack 5: samples of each kind for the prefix timing (default 300). */
  authSamples?: number;
  /** Attack 5: how long the database's statistics may take to include a backend's work (PostgreSQL flushes idle backends' counts within 10 s). */
  statsFlushMs?: number;
  /** The victim: at most one request per this many ms (default 100: 10/s, within its key's 20/s), and its client timeout (default 10 s). */
  victimIntervalMs?: number;
  victimTimeoutMs?: number;
  /** Longest wait for the gateway to settle after an attack before it is restarted (default 30 s). */
  settleMs?: number;
  log?: (line: string) => void;
}

/** The victim's latency over one window: every request, timeouts counted at the timeout. */
export interface VictimFigures {
  requests: number;
  /** The median (of an even count, the mean of the two middle values); p99 and max by nearest rank. */
  p50: number | null;
  p99: number | null;
  max: number | null;
  /** Requests that failed, by code (TIMEOUT, RATE_LIMITED, BAD_ANSWER, ...). */
  errors: Record<string, number>;
  /** p50 over the baseline's p50 (the first baseline); null for the baseline itself. */
  ratioToBaseline: number | null;
}

export interface OutcomeCounts {
  requests: number;
  /** By HTTP status and code: `200`, `200 NOT_FOUND`, `400 COST_LIMIT_EXCEEDED`, `0 TIMEOUT`... */
  outcomes: Record<string, number>;
  ms: { p50: number | null; max: number | null };
}

/** What the attacker's worker reported of its subscriptions, and what the gateway counted. */
export interface SubscriptionFigures extends Omit<SubscriptionsReport, 'type'> {
  /** What the gateway's /metrics says is open, right after opening (every tenant). */
  gatewayOpen: number | null;
}

export interface AttackResult {
  attack: AttackNumber;
  name: string;
  victim: VictimFigures;
  /** What the attacker got, in a line (also in `details`). */
  attackerSummary: string;
  details: Record<string, unknown>;
  /** The gateway process's CPU during the victim's window, in cores (1.0: one core all the time). */
  gatewayCores: number;
  /** Error lines the gateway logged from the attack's start to the end of its settling, by message. */
  gatewayErrors: Record<string, number>;
  settle: { ms: number; restarted: boolean };
}

export interface NeighboursSuiteResult {
  parameters: {
    sessionsPerTenant: number;
    seed: number;
    seconds: number;
    attacks: AttackNumber[];
    gateway: string;
    victim: { query: string; intervalMs: number; timeoutMs: number };
    metricsSubscription: string;
    metricsSubscriptions: number;
    nodesIds: number;
    nodesConcurrency: number;
    nodesBodyBytes: number;
    heavySubscriptions: number;
    heavyKeys: number;
    heavyExample: string;
    subscriptionCap: { process: number; perKey: number; perTenant: number };
    /** Whether the compiled gateway reads MAX_SUBSCRIPTIONS_PER_TENANT (today: no; it is passed anyway). */
    perTenantSettingKnown: boolean;
    floodRequests: number;
    floodSeconds: number;
    authSamples: number;
  };
  dataset: { tenants: Record<string, { sessions: number; messages: number }> };
  baseline: VictimFigures;
  attacks: AttackResult[];
  /** The baseline measured again after the last attack: how far the machine drifted during the run. */
  baselineAgain: VictimFigures;
  /** Load average (1 min) at the start of each window. */
  load: Record<string, number>;
}

// ---- the operations ----

/** README's "Example queries" dashboard, as a supervisor's page sends it (GraphiQL's default: the same text). */
export const VICTIM_QUERY = DEFAULT_QUERY;
const VICTIM_PAGE = 20;

/** Attack 1: a wallboard's subscription with every figure (README's botMetrics selection), the same text every time (equal subscriptions). */
export const METRICS_SUBSCRIPTION =
  'subscription { botMetricsUpdated(groupBy: [BOT], interval: HOUR) { start end botId sessions ended escalated contained abandoned containmentRate escalationRate abandonmentRate outcomes { outcome count } messages userMessages averageTurns duration { average p50 p90 } recognitionFailureRate topIntents(first: 5) { name count } } }';

/** The victim's own live view (attack 4). */
const VICTIM_SUBSCRIPTION = 'subscription { sessionUpdated { kind session { externalId } } }';
/** What fills the process in attack 4: a light subscription. */
const FILLER_SUBSCRIPTION = 'subscription { sessionUpdated { kind session { id } } }';
/** Attack 2. */
const NODES_QUERY = 'query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }';

const SESSION_FIELDS = [
  'id',
  '__typename',
  'vendor',
  'kind',
  'externalId',
  'botId',
  'channel',
  'language',
  'status',
  'outcome',
  'createdAt',
  'lastActiveAt',
  'endedAt',
];
const MESSAGE_FIELDS = [
  'id',
  'sequence',
  'sequenceId',
  'sender',
  'rawSender',
  'type',
  'rawType',
  'text',
  'timestamp',
  'intent',
  'endReason',
  'feedbackId',
  'vendorMessageId',
  'vendorData',
  'attachments { title type url }',
  'choices { alias id index label value }',
  'escalationTargets { type value }',
  'nlp { entities expression intent { name score } intents { name score } sentiment { name score } }',
  'schedule { responseDelayMilliseconds }',
  'turn { askActionResult askActionResultRaw botPrompts dateCreated dateCompleted sessionId userInput }',
];

const rotate = <T>(items: readonly T[], by: number): T[] => items.map((_, i) => items[(i + by) % items.length]!);

/**
 * Attack 3's subscription number `i`: a heavy selection (the session with its first 100 messages, every
 * message field, its conversation's sessions and theirs), spelled differently for every i — its own
 * root alias, its fields in another order, other whitespace — so no two can share an execution.
 */
export function heavySubscription(i: number): string {
  const messageFields = rotate(MESSAGE_FIELDS, i % MESSAGE_FIELDS.length).join(' ');
  const sessionFields = rotate(SESSION_FIELDS, i % SESSION_FIELDS.length).join(' ');
  const parts = [
    `subscription Heavy${String(i)} {`,
    `u${String(i)}: sessionUpdated {`,
    'kind eventId',
    'session {',
    sessionFields,
    `messages(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${messageFields} } } }`,
    'conversation { id externalId sessions(first: 20) { totalCount edges { node { id externalId status messages(first: 5) { edges { node { id text } } } } } } }',
    '}',
    `message { ${rotate(MESSAGE_FIELDS.slice(0, 10), i % 10).join(' ')} }`,
    '}',
    '}',
  ];
  const separator = ['\n', ' ', '\n\t', '  \n  '][i % 4]!;
  return parts.join(separator);
}

// ---- data ----

interface Keys {
  victimRead: string;
  victimLive: string;
  victimIngest: string;
  victimPrefix: string;
  attackerIngest: string;
  /** Attack 1: [0]; attack 2: [1]; attack 4: [2], [3]; attack 3: the rest. */
  attackerRead: string[];
}

const ndjson = (docs: Iterable<{ doc: object }>) => {
  let text = '';
  for (const { doc } of docs) text += `${JSON.stringify(doc)}\n`;
  return text;
};

interface IngestAnswer {
  accepted?: number;
  created?: number;
  rejected?: unknown[];
}

async function postIngest(base: string, route: string, key: string, body: string, contentType: string): Promise<IngestAnswer> {
  const response = await fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${key}` }, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST ${route}: HTTP ${String(response.status)}: ${text.slice(0, 300)}`);
  const answer = JSON.parse(text) as IngestAnswer;
  if (answer.rejected?.length) throw new Error(`POST ${route} rejected ${String(answer.rejected.length)} item(s): ${JSON.stringify(answer.rejected[0])}`);
  return answer;
}

/** A tenant's data set through its ingest key: half Einstein sessions, half Genesys bot flows. */
async function seedTenant(base: string, key: string, sessions: number, seed: number): Promise<{ sessions: number; messages: number }> {
  const einstein = Math.ceil(sessions / 2);
  let messages = 0;
  const count = function* <T extends { messages: number }>(docs: Generator<T>) {
    for (const doc of docs) {
      messages += doc.messages;
      yield doc;
    }
  };
  const created =
    ((await postIngest(base, INGEST_ROUTES['einstein.sessions'], key, ndjson(count(einsteinDocuments(seed, einstein))), 'application/x-ndjson')).created ?? 0) +
    ((
      await postIngest(
        base,
        INGEST_ROUTES['genesys.botFlowSessions'],
        key,
        ndjson(count(genesysBotFlowDocuments(seed, sessions - einstein))),
        'application/x-ndjson',
      )
    ).created ?? 0);
  if (created !== sessions) throw new Error(`seeding: ${String(created)} of ${String(sessions)} sessions created`);
  return { sessions, messages };
}

/** A Chatlayer webhook `messages` event of the attacker's heavy session: `count` user messages from `from` on, a second apart. */
function webhookMessages(from: number, count: number): string {
  const base = Date.UTC(2026, 9, 1, 12, 0, 0);
  const messages = Array.from({ length: count }, (_, k) => ({
    actor: 'user',
    message: { text: `neighbour message ${String(from + k)}` },
    timestamp: new Date(base + (from + k) * 1000).toISOString(),
  }));
  return JSON.stringify({ event: 'messages', botId: 'neighbours-bot', version: 'LIVE', sessionId: 'neighbours-heavy', channel: 'web', messages });
}

/** `count` made-up global ids of a Session type: well-formed (a UUID behind a real type name), naming no row. */
function madeUpSessionIds(count: number, seed: number): string[] {
  const random = createRandom(deriveSeed(seed, 'neighbours:ids'));
  return Array.from({ length: count }, (_, i) => {
    const uuid = `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-a${random.hex(3)}-${i.toString(16).padStart(12, '0')}`;
    return encodeGlobalId('BotFlowSession', uuid);
  });
}

// ---- figures ----

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function percentile(sorted: readonly number[], q: number): number | null {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The middle value, or the mean of the two middle ones: under a bad attack the victim gets few answers, and of [20 ms, 10 s] the p50 is not 20 ms. */
function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function victimFigures(samples: readonly RequestSample[], baselineP50: number | null): VictimFigures {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const errors: Record<string, number> = {};
  for (const s of samples) if (s.code !== null) errors[s.code] = (errors[s.code] ?? 0) + 1;
  const p50 = median(sorted);
  return {
    requests: samples.length,
    p50: p50 === null ? null : round(p50),
    p99: percentile(sorted, 0.99) === null ? null : round(percentile(sorted, 0.99)!),
    max: sorted.length === 0 ? null : round(sorted.at(-1)!),
    errors,
    ratioToBaseline: baselineP50 && p50 !== null ? round(p50 / baselineP50, 2) : null,
  };
}

function outcomeCounts(samples: readonly RequestSample[]): OutcomeCounts {
  const outcomes: Record<string, number> = {};
  for (const s of samples) {
    // `200`, `200 INTERNAL_SERVER_ERROR`, `408` (Node's own answer, no code), `TIMEOUT` (no answer)...
    const key = s.code === null || s.code.startsWith('HTTP ') ? String(s.status) : s.status === 0 ? s.code : `${String(s.status)} ${s.code}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    requests: samples.length,
    outcomes,
    ms: { p50: median(sorted) === null ? null : Math.round(median(sorted)!), max: sorted.length ? Math.round(sorted.at(-1)!) : null },
  };
}

const describeCounts = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([, a], [, b]) => b - a)
    .map(([key, n]) => `${n.toLocaleString('en-US')} ${key}`)
    .join(', ') || 'none';

function errorTally(errors: readonly LoggedError[]): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const e of errors) {
    const key = `${e.msg || 'error'}${e.code ? ` (${e.code})` : e.type ? ` (${e.type})` : ''}`;
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return tally;
}

// ---- the run ----

interface GatewaySettings {
  name: string;
  env: Record<string, string>;
}

export async function runNeighboursSuite(options: NeighboursSuiteOptions): Promise<NeighboursSuiteResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const seconds = options.seconds;
  const metricsSubscriptions = options.metricsSubscriptions ?? 50;
  const nodesIds = options.nodesIds ?? 24_000;
  const nodesConcurrency = options.nodesConcurrency ?? 8;
  const heavyCount = options.heavySubscriptions ?? 600;
  const heavyPerKey = options.heavyPerKey ?? 50;
  const heavyKeys = Math.ceil(heavyCount / heavyPerKey);
  const cap = options.subscriptionCap ?? { process: 200, perKey: 100, perTenant: 100 };
  const floodRequests = options.floodRequests ?? 4_700;
  const floodSeconds = options.floodSeconds ?? 5;
  const authSamples = options.authSamples ?? 300;
  const statsFlushMs = options.statsFlushMs ?? 11_000;
  const victimIntervalMs = options.victimIntervalMs ?? 100;
  const victimTimeoutMs = options.victimTimeoutMs ?? 10_000;
  const settleMs = options.settleMs ?? 30_000;
  const attacks = ATTACKS.filter((a) => options.attacks.includes(a));

  ensureBuilt();
  // Whether the compiled gateway reads the per-tenant share (issue 22's fix); the setting is passed either way.
  const perTenantSettingKnown = builtGatewayMentions('MAX_SUBSCRIPTIONS_PER_TENANT');
  const metricsToken = randomUUID();
  // One trusted proxy: attack 5's timing probes say which address they come from (a gateway that does not
  // know the setting ignores it).
  const defaults: GatewaySettings = { name: 'defaults', env: { METRICS_TOKEN: metricsToken, TRUST_PROXY_HOPS: '1' } };
  const capped: GatewaySettings = {
    name: 'capped',
    env: {
      METRICS_TOKEN: metricsToken,
      TRUST_PROXY_HOPS: '1',
      MAX_SUBSCRIPTIONS: String(cap.process),
      MAX_SUBSCRIPTIONS_PER_KEY: String(cap.perKey),
      MAX_SUBSCRIPTIONS_PER_TENANT: String(cap.perTenant),
    },
  };

  const created = await createPostgresDatabase();
  const cleanups: (() => Promise<void>)[] = [() => created.drop()];
  let gateway: GatewayProcess | null = null;
  let gatewaySettings: GatewaySettings | null = null;
  const cleanup = async () => {
    await gateway?.stop().catch(() => undefined);
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => log(`neighbours: cleanup: ${String(error)}`));
  };
  try {
    // Migrations and keys, before the production gateway starts (it refuses to start without a key).
    const keys = await (async (): Promise<Keys> => {
      const database = await openDatabase({ kind: 'postgres', url: created.url });
      try {
        const key = async (tenantSlug: string, scopes: Scope[], label: string) => createApiKey(database.prisma, { tenantSlug, scopes, label });
        const victimRead = await key('victim', ['read'], 'victim dashboard');
        const attackerRead: string[] = [];
        for (let i = 0; i < 4 + heavyKeys; i++) attackerRead.push((await key('attacker', ['read'], `attacker read ${String(i)}`)).key);
        return {
          victimRead: victimRead.key,
          victimPrefix: victimRead.prefix,
          victimLive: (await key('victim', ['read'], 'victim live view')).key,
          victimIngest: (await key('victim', ['ingest'], 'victim ingest')).key,
          attackerIngest: (await key('attacker', ['ingest'], 'attacker ingest')).key,
          attackerRead,
        };
      } finally {
        await database.close();
      }
    })();
    const stats = new pg.Client({ connectionString: created.url });
    await stats.connect();
    cleanups.push(() => stats.end());

    const useGateway = async (settings: GatewaySettings): Promise<GatewayProcess> => {
      if (gateway && gatewaySettings === settings) return gateway;
      await gateway?.stop();
      gateway = null;
      gateway = await startGatewayProcess(created.url, settings.env);
      gatewaySettings = settings;
      return gateway;
    };
    let gw = await useGateway(defaults);
    log(`neighbours: production gateway (dist/main.js, pid ${String(gw.pid)}) on ${created.name}; seeding ${String(options.sessions)} sessions per tenant...`);
    const dataset = {
      tenants: {
        victim: await seedTenant(gw.base, keys.victimIngest, options.sessions, deriveSeed(options.seed, 'neighbours:victim')),
        attacker: await seedTenant(gw.base, keys.attackerIngest, options.sessions, deriveSeed(options.seed, 'neighbours:attacker')),
      },
    };
    await stats.query('VACUUM ANALYZE');

    const graphqlUrl = () => `${gw.base}/graphql`;
    const victimBody = JSON.stringify({ query: VICTIM_QUERY, operationName: 'Dashboard' });
    // The victim's answer, checked once: the page it asks for, from its own tenant only.
    const probe = async (base: string): Promise<{ ms: number; ok: boolean; text: string }> => {
      const started = performance.now();
      try {
        const response = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.victimRead}` },
          body: victimBody,
          signal: AbortSignal.timeout(victimTimeoutMs),
        });
        const text = await response.text();
        const edges = (JSON.parse(text) as { data?: { sessions?: { edges?: unknown[] } } }).data?.sessions?.edges;
        return { ms: performance.now() - started, ok: response.status === 200 && edges?.length === VICTIM_PAGE, text };
      } catch (error) {
        return { ms: performance.now() - started, ok: false, text: String(error) };
      }
    };
    const first = await probe(gw.base);
    if (!first.ok) throw new Error(`the victim's dashboard did not answer a page of ${String(VICTIM_PAGE)}: ${first.text.slice(0, 500)}`);

    const victim = await Worker.start('victim');
    cleanups.push(() => victim.stop());
    const attacker = await Worker.start('attacker');
    cleanups.push(() => attacker.stop());
    const load: Record<string, number> = {};
    const loadNow = async () => round((await import('node:os')).loadavg()[0] ?? 0, 2);

    /** The victim's loop for `seconds` (the requests started in it), with `during` running beside it; the gateway's CPU over the window. */
    const measureVictim = async (name: string, during?: () => Promise<void>): Promise<{ samples: RequestSample[]; cores: number }> => {
      load[name] = await loadNow();
      const cpuStart = await gw.cpuSeconds();
      const started = performance.now();
      await victim.ask({
        type: 'victim',
        url: graphqlUrl(),
        key: keys.victimRead,
        body: victimBody,
        intervalMs: victimIntervalMs,
        timeoutMs: victimTimeoutMs,
        expectEdges: VICTIM_PAGE,
      });
      // The attacker's part may outlast the window (requests still in flight, a flood the client cannot
      // send as fast as asked): the victim's window is `seconds` all the same (its last request finishes).
      const beside = during?.().then(
        () => null,
        (error: unknown) => error,
      );
      await sleep(seconds * 1000);
      const { samples } = await victim.ask({ type: 'stop-victim' });
      const cores = ((await gw.cpuSeconds()) - cpuStart) / ((performance.now() - started) / 1000);
      const failed = await beside;
      if (failed) throw failed;
      return { samples, cores: round(cores, 2) };
    };

    log(`neighbours: baseline: the victim's dashboard alone for ${String(seconds)} s...`);
    const baselineRun = await measureVictim('baseline');
    const baseline = victimFigures(baselineRun.samples, null);
    log(
      `neighbours: baseline: ${String(baseline.requests)} requests, p50 ${String(baseline.p50)} ms, p99 ${String(baseline.p99)} ms, max ${String(baseline.max)} ms`,
    );
    const baselineP50 = baseline.p50;

    /** Waits until five answers in a row are near the baseline; restarts the gateway when that takes longer than `settleMs`. */
    const settle = async (): Promise<{ ms: number; restarted: boolean }> => {
      const started = performance.now();
      const limit = Math.max(2 * (baseline.p50 ?? 10), baseline.p99 ?? 0, 20);
      await sleep(1_000);
      let streak = 0;
      while (performance.now() - started < settleMs) {
        const answer = await probe(gw.base);
        streak = answer.ok && answer.ms <= limit ? streak + 1 : 0;
        if (streak >= 5) return { ms: Math.round(performance.now() - started), restarted: false };
        await sleep(victimIntervalMs);
      }
      log(`neighbours: the gateway did not settle within ${String(settleMs / 1000)} s: restarting it`);
      const settings = gatewaySettings!;
      await gateway?.stop();
      gateway = null;
      gw = await useGateway(settings);
      return { ms: Math.round(performance.now() - started), restarted: true };
    };

    const subscriptionFigures = async (report: SubscriptionsReport): Promise<SubscriptionFigures> => ({
      requested: report.requested,
      open: report.open,
      refused: report.refused,
      rateLimitedRetries: report.rateLimitedRetries,
      payloads: report.payloads,
      laterErrors: report.laterErrors,
      socketsClosed: report.socketsClosed,
      openMs: report.openMs,
      gatewayOpen: await metricValue(gw.base, metricsToken, 'parley_subscriptions_open'),
    });
    const subscribed = (s: SubscriptionFigures) =>
      `${String(s.open)}/${String(s.requested)} subscriptions open${Object.keys(s.refused).length ? ` (refused: ${describeCounts(s.refused)})` : ''}`;

    const results: AttackResult[] = [];
    const runAttack = async (
      attack: AttackNumber,
      name: string,
      settings: GatewaySettings,
      body: () => Promise<{ victim: { samples: RequestSample[]; cores: number }; summary: string; details: Record<string, unknown> }>,
    ) => {
      gw = await useGateway(settings);
      const errorsFrom = gw.errors.length;
      const errorsOf = gw;
      log(`neighbours: attack ${String(attack)}: ${name}...`);
      const outcome = await body();
      const settled = await settle();
      const result: AttackResult = {
        attack,
        name,
        victim: victimFigures(outcome.victim.samples, baselineP50),
        attackerSummary: outcome.summary,
        details: outcome.details,
        gatewayCores: outcome.victim.cores,
        gatewayErrors: errorTally(errorsOf.errors.slice(errorsFrom)),
        settle: settled,
      };
      results.push(result);
      const v = result.victim;
      log(
        `neighbours: attack ${String(attack)}: victim p50 ${String(v.p50)} ms (${String(v.ratioToBaseline)}x), p99 ${String(v.p99)} ms, max ${String(v.max)} ms, errors: ${describeCounts(v.errors)}; attacker: ${outcome.summary}; settled in ${String(settled.ms)} ms${settled.restarted ? ' (restarted)' : ''}`,
      );
    };

    const liveBodies = (count: number, seed: number) => [...einsteinDocuments(seed, count)].map(({ doc }) => JSON.stringify(doc));

    for (const attack of attacks) {
      if (attack === 1) {
        await runAttack(
          1,
          `${String(metricsSubscriptions)} equal botMetricsUpdated subscriptions (one read key) + 1 session/s ingested`,
          defaults,
          async () => {
            const opened = await attacker.ask({
              type: 'subscribe',
              url: graphqlUrl(),
              groups: [{ key: keys.attackerRead[0]!, documents: Array.from({ length: metricsSubscriptions }, () => METRICS_SUBSCRIPTION) }],
              confirmMs: 5_000,
              retryForMs: 10_000,
            });
            const bodies = liveBodies(Math.ceil(seconds) + 30, deriveSeed(options.seed, 'neighbours:attack1'));
            const victimRun = await measureVictim('attack 1', async () => {
              await attacker.ask({ type: 'ingest', url: gw.base, key: keys.attackerIngest, route: INGEST_ROUTES['einstein.sessions'], bodies, perSecond: 1 });
            });
            const ingested = await attacker.ask({ type: 'stop-ingest' });
            const subscriptions = await subscriptionFigures(await attacker.ask({ type: 'subscriptions' }));
            subscriptions.requested = opened.requested;
            await attacker.ask({ type: 'unsubscribe' });
            const ingest = outcomeCounts(ingested.samples);
            return {
              victim: victimRun,
              summary: `${subscribed(subscriptions)}, ${subscriptions.payloads.toLocaleString('en-US')} payloads; ingest ${describeCounts(ingest.outcomes)}`,
              details: { subscriptions, ingest },
            };
          },
        );
      } else if (attack === 2) {
        const ids = madeUpSessionIds(nodesIds, options.seed);
        const body = JSON.stringify({ query: NODES_QUERY, operationName: 'Nodes', variables: { ids } });
        await runAttack(
          2,
          `nodes(ids:) with ${nodesIds.toLocaleString('en-US')} made-up ids, ${String(nodesConcurrency)} at once, repeated`,
          defaults,
          async () => {
            let report: RepeatReport = { type: 'repeat-report', samples: [], cutOff: 0 };
            const victimRun = await measureVictim('attack 2', async () => {
              report = await attacker.ask(
                { type: 'repeat', url: graphqlUrl(), key: keys.attackerRead[1]!, body, concurrency: nodesConcurrency, seconds, graceMs: 20_000 },
                (seconds + 60) * 1000,
              );
            });
            const requests = outcomeCounts(report.samples);
            return {
              victim: victimRun,
              summary:
                (requests.requests > 0
                  ? `${String(requests.requests)} answered (${describeCounts(requests.outcomes)}; p50 ${String(requests.ms.p50)} ms, max ${String(requests.ms.max)} ms)`
                  : 'none answered') + (report.cutOff ? `, ${String(report.cutOff)} unanswered 20 s after the window (cut off)` : ''),
              details: { requests, cutOff: report.cutOff, bodyBytes: Buffer.byteLength(body) },
            };
          },
        );
      } else if (attack === 3) {
        await runAttack(
          3,
          `${String(heavyCount)} differently spelled heavy sessionUpdated subscriptions (${String(heavyKeys)} read keys) + 1 message/s ingested`,
          defaults,
          async () => {
            // The session the messages go to, with a transcript for messages(first: 100) to read; created before anyone subscribes.
            await postIngest(gw.base, INGEST_ROUTES['chatlayer.webhook'], keys.attackerIngest, webhookMessages(0, 60), 'application/json');
            const documents = Array.from({ length: heavyCount }, (_, i) => heavySubscription(i));
            const groups = Array.from({ length: heavyKeys }, (_, k) => ({
              key: keys.attackerRead[4 + k]!,
              documents: documents.slice(k * heavyPerKey, (k + 1) * heavyPerKey),
            }));
            const opened = await subscriptionFigures(
              await attacker.ask({ type: 'subscribe', url: graphqlUrl(), groups, confirmMs: 2_000, retryForMs: 20_000 }),
            );
            const bodies = Array.from({ length: Math.ceil(seconds) + 30 }, (_, k) => webhookMessages(60 + k, 1));
            const victimRun = await measureVictim('attack 3', async () => {
              await attacker.ask({ type: 'ingest', url: gw.base, key: keys.attackerIngest, route: INGEST_ROUTES['chatlayer.webhook'], bodies, perSecond: 1 });
            });
            const ingested = await attacker.ask({ type: 'stop-ingest' });
            const after = await attacker.ask({ type: 'subscriptions' });
            await attacker.ask({ type: 'unsubscribe' });
            const ingest = outcomeCounts(ingested.samples);
            const subscriptions = { ...opened, payloads: after.payloads, laterErrors: after.laterErrors, socketsClosed: after.socketsClosed };
            const accepted = ingested.samples.filter((s) => s.code === null).length;
            return {
              victim: victimRun,
              summary: `${subscribed(subscriptions)}; ${subscriptions.payloads.toLocaleString('en-US')} of ${(subscriptions.open * accepted).toLocaleString('en-US')} deliveries received${Object.keys(after.laterErrors).length ? `, errors: ${describeCounts(after.laterErrors)}` : ''}; ingest ${describeCounts(ingest.outcomes)}`,
              details: { subscriptions, ingest, expectedDeliveries: subscriptions.open * accepted },
            };
          },
        );
      } else if (attack === 4) {
        await runAttack(
          4,
          `the subscription cap (process ${String(cap.process)}, key ${String(cap.perKey)}, tenant ${String(cap.perTenant)}) filled by two attacker keys`,
          capped,
          async () => {
            const fill = await subscriptionFigures(
              await attacker.ask({
                type: 'subscribe',
                url: graphqlUrl(),
                groups: [2, 3].map((k) => ({ key: keys.attackerRead[k]!, documents: Array.from({ length: cap.perKey }, () => FILLER_SUBSCRIPTION) })),
                confirmMs: 2_000,
                retryForMs: 30_000,
              }),
            );
            let victimSubscription = 'no answer';
            let victimSubscriptionReport: SubscriptionsReport | null = null;
            const victimRun = await measureVictim('attack 4', async () => {
              const report = await victim.ask({
                type: 'subscribe',
                url: graphqlUrl(),
                groups: [{ key: keys.victimLive, documents: [VICTIM_SUBSCRIPTION] }],
                confirmMs: 2_000,
                retryForMs: 10_000,
              });
              if (report.open === 1) {
                // Open means it works: one of the victim's own sessions must reach it.
                await postIngest(
                  gw.base,
                  INGEST_ROUTES['einstein.sessions'],
                  keys.victimIngest,
                  liveBodies(1, deriveSeed(options.seed, 'neighbours:attack4'))[0]!,
                  'application/json',
                );
                const deadline = Date.now() + 5_000;
                let now = await victim.ask({ type: 'subscriptions' });
                while (now.payloads === 0 && Date.now() < deadline) {
                  await sleep(100);
                  now = await victim.ask({ type: 'subscriptions' });
                }
                victimSubscription = now.payloads > 0 ? 'open (received its event)' : 'accepted, but its event never came';
                victimSubscriptionReport = now;
              } else {
                victimSubscription = `refused: ${describeCounts(report.refused)}`;
                victimSubscriptionReport = report;
              }
            });
            await victim.ask({ type: 'unsubscribe' });
            await attacker.ask({ type: 'unsubscribe' });
            return {
              victim: victimRun,
              summary: `${subscribed(fill)} (the gateway counted ${String(fill.gatewayOpen)} open); the victim's subscription: ${victimSubscription}`,
              details: { fill, victimSubscription, victimSubscriptionReport, perTenantSettingKnown },
            };
          },
        );
      } else {
        await runAttack(
          5,
          `unknown keys: ${floodRequests.toLocaleString('en-US')} requests in ${String(floodSeconds)} s, random well-formed keys`,
          defaults,
          async () => {
            const transactions = async () =>
              Number(
                (await stats.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]!
                  .n,
              );
            const at = () => performance.now();
            // Is a key whose prefix exists told apart from one whose prefix does not (by time)?
            const timing = await attacker.ask({ type: 'auth-timing', url: graphqlUrl(), existingPrefix: keys.victimPrefix, samples: authSamples });
            // Transactions the unknown keys cause: the database's count over the flood, less the idle
            // gateway's own (outbox polls...) at the rate measured just before. PostgreSQL counts a
            // backend's work when it goes idle, within 10 s: each reading waits that long after the work.
            await sleep(statsFlushMs);
            const x0 = await transactions();
            const t0 = at();
            await sleep(statsFlushMs);
            const x1 = await transactions();
            const t1 = at();
            const counted: FloodReport = await attacker.ask({
              type: 'flood',
              url: graphqlUrl(),
              requests: floodRequests,
              seconds: floodSeconds,
              connections: 50,
            });
            await sleep(statsFlushMs);
            const x2 = await transactions();
            const t2 = at();
            const idlePerSecond = (x1 - x0) / ((t1 - t0) / 1000);
            const caused = Math.round(x2 - x1 - idlePerSecond * ((t2 - t1) / 1000));
            // The victim under the same rate of unknown keys, for the victim's window.
            let underFlood: FloodReport | null = null;
            const rate = floodRequests / floodSeconds;
            const victimRun = await measureVictim('attack 5', async () => {
              underFlood = await attacker.ask({ type: 'flood', url: graphqlUrl(), requests: Math.round(rate * seconds), seconds, connections: 50 });
            });
            const flood = underFlood as FloodReport | null;
            const difference =
              timing.existingPrefix.medianMs !== null && timing.missingPrefix.medianMs !== null
                ? round(timing.existingPrefix.medianMs - timing.missingPrefix.medianMs, 3)
                : null;
            return {
              victim: victimRun,
              summary:
                `${describeCounts(counted.statuses)} of ${counted.sent.toLocaleString('en-US')} in ${(counted.ms / 1000).toFixed(1)} s; ` +
                `${caused.toLocaleString('en-US')} database transactions (${(caused / Math.max(1, counted.sent)).toFixed(2)} per request); ` +
                `prefix exists ${String(timing.existingPrefix.medianMs)} ms vs not ${String(timing.missingPrefix.medianMs)} ms (median, ${difference === null ? '-' : `${difference > 0 ? '+' : ''}${String(difference)}`} ms); ` +
                `under the victim: ${flood ? `${describeCounts(flood.statuses)} of ${flood.sent.toLocaleString('en-US')} in ${(flood.ms / 1000).toFixed(1)} s` : '-'}`,
              details: {
                counted: { ...counted, transactions: caused, idleTransactionsPerSecond: round(idlePerSecond, 2) },
                underFlood: flood,
                timing: { ...timing, differenceMs: difference, samples: authSamples },
              },
            };
          },
        );
      }
    }

    gw = await useGateway(defaults);
    log(`neighbours: baseline again, after the attacks, for ${String(seconds)} s...`);
    const baselineAgain = victimFigures((await measureVictim('baseline again')).samples, baselineP50);
    return {
      parameters: {
        sessionsPerTenant: options.sessions,
        seed: options.seed,
        seconds,
        attacks: [...attacks],
        gateway: 'node dist/main.js, NODE_ENV=production, PostgreSQL; rate limit and cost limit at their production defaults',
        victim: { query: VICTIM_QUERY, intervalMs: victimIntervalMs, timeoutMs: victimTimeoutMs },
        metricsSubscription: METRICS_SUBSCRIPTION,
        metricsSubscriptions,
        nodesIds,
        nodesConcurrency,
        nodesBodyBytes: Buffer.byteLength(
          JSON.stringify({ query: NODES_QUERY, operationName: 'Nodes', variables: { ids: madeUpSessionIds(nodesIds, options.seed) } }),
        ),
        heavySubscriptions: heavyCount,
        heavyKeys,
        heavyExample: heavySubscription(0),
        subscriptionCap: cap,
        perTenantSettingKnown,
        floodRequests,
        floodSeconds,
        authSamples,
      },
      dataset,
      baseline,
      attacks: results,
      baselineAgain,
      load,
    };
  } finally {
    await cleanup();
  }
}

// ---- the table ----

const ms = (value: number | null) => (value === null ? '-' : `${value.toLocaleString('en-US')} ms`);

export function neighboursTable(result: NeighboursSuiteResult): string {
  const row = (name: string, v: VictimFigures, attacker: string, cores: string, logged: string): Cell[] => [
    name,
    v.requests,
    ms(v.p50),
    ms(v.p99),
    ms(v.max),
    v.ratioToBaseline === null ? '1.00x' : `${v.ratioToBaseline.toFixed(2)}x`,
    describeCounts(v.errors),
    cores,
    logged,
    attacker,
  ];
  const rows: Cell[][] = [
    row('baseline (no attack)', result.baseline, '-', '', ''),
    ...result.attacks.map((a) =>
      row(
        `${String(a.attack)}. ${a.name}`,
        a.victim,
        a.attackerSummary + (a.settle.restarted ? ' [gateway did not settle: restarted]' : ''),
        a.gatewayCores.toFixed(2),
        describeCounts(a.gatewayErrors),
      ),
    ),
    row('baseline again (after the attacks)', result.baselineAgain, '-', '', ''),
  ];
  const p = result.parameters;
  const title =
    `neighbours: a production gateway (dist/main.js) on PostgreSQL, ${p.sessionsPerTenant.toLocaleString('en-US')} sessions per tenant; ` +
    `the victim (another tenant) runs README's Dashboard query one request after another (at most one per ${String(p.victim.intervalMs)} ms, timeout ${String(p.victim.timeoutMs / 1000)} s) ` +
    `for ${String(p.seconds)} s per row; latency of every request, ratio = p50 / the baseline's p50; gateway CPU in cores during the victim's window`;
  return `${title}\n\n${renderTable(
    [
      { header: 'attack' },
      { header: 'victim requests', align: 'right' },
      { header: 'p50', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'max', align: 'right' },
      { header: 'p50 vs baseline', align: 'right' },
      { header: 'victim errors' },
      { header: 'gateway CPU', align: 'right' },
      { header: 'gateway error logs' },
      { header: "attacker's result" },
    ],
    rows,
  )}`;
}
