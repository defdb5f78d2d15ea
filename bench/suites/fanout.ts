// Fan-out benchmark (issue 4, "Performance"): one gateway process (this one: createGateway + listen,
// HTTP + SSE + graphql-ws on one port), N concurrent `sessionUpdated` subscribers, half over SSE and
// half over WebSocket, in a child process of their own (bench/lib/fanout-clients.ts, so their CPU is
// not the gateway's), then a steady rate of small Chatlayer webhook events through the HTTP route.
//
// Latency is measured from the commit of each event's transaction to its receipt by each subscriber.
// Commit time: the moment the ingest pipeline publishes the committed events to the event bus, which
// it does right after the database acknowledged the COMMIT (src/ingest/pipeline.ts); the suite wraps
// the gateway's in-process bus and stamps every published MESSAGE_ADDED event there. That is tighter
// than the ingest request's send time (before parsing, validating and writing) and its reply time
// (after the reply crossed the loopback, and delayed by whatever else the gateway's event loop is
// doing); both are reported too, as bounds. Receipt time: when the delivery's bytes reached the
// subscriber's socket in the client process. The two processes' clocks are compared over IPC and the
// offset is subtracted.
//
// Every subscriber must receive every event exactly once: misses, duplicates and errors are counted.
// Memory per subscriber: the gateway process's heap and RSS after a full GC with all N subscribed,
// minus the same before the first subscriber connected, over N.
//
// Baseline, per subscriber count, in the same run: the same subscribers' process, transports and event
// rate against a server that does nothing but write one ready frame per event to every socket
// (bench/lib/floor-server.ts). Its latency, CPU and memory are the floor on this machine: on loopback a
// socket write also does the receiving side's TCP work, so part of every figure is the kernel's.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { INGEST_ROUTES } from '../../src/ingest/types.js';
import { createInProcessEventBus, type EventBus } from '../../src/live/events.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { startFloorServer } from '../lib/floor-server.js';
import { openParleyDatabase, type BenchDatabaseKind } from '../lib/database.js';
import { Clients, fileDescriptorLimit, findGc, round, settledMemory, sleep, wallNow } from '../lib/fanout-harness.js';
import type { DeliveryReport, LatencySummary } from '../lib/fanout-protocol.js';
import { startCpuProfile } from '../lib/profile.js';
import { renderTable, type Cell } from '../lib/report.js';

/** The default offered load: events per second × subscribers. */
export const DELIVERIES_PER_SECOND = 20_000;
/** Issue 4: 10,000 subscribers on one process, p99 (commit to receipt) under 100 ms. */
export const FANOUT_GOAL = { subscribers: 10_000, p99Ms: 100 };

export interface FanoutSuiteOptions {
  /** Subscriber counts, one run each (default 1,000 and 10,000). */
  subscribers: readonly number[];
  database: BenchDatabaseKind;
  /**
   * Webhook events per second; default: DELIVERIES_PER_SECOND / subscribers (20/s at 1,000
   * subscribers, 2/s at 10,000), the same offered load in every run.
   */
  rate?: number;
  /** How long the ingest runs (default 10 s). */
  seconds: number;
  /** Sessions the events are spread over (created before anyone subscribes, so each event is one MESSAGE_ADDED). */
  sessions?: number;
  /**
   * 0 (default): every subscriber subscribes to everything. n: subscriber i filters on one bot of n
   * (`botIds: ["fanout-bench-<i % n>"]`) and the sessions are spread over the n bots, so each event
   * matches 1/n of the subscribers: the cost should follow the matching subscribers, not all of them.
   */
  filters?: number;
  /** How long to wait for the last deliveries once the ingest is done, at most (default 120 s). */
  drainTimeoutMs?: number;
  /** Write a CPU profile of the gateway process during each ingest phase to this directory. */
  profileDir?: string;
  /** Also run the bare-sockets baseline for each subscriber count (default true; not with filters). */
  floor?: boolean;
  log?: (line: string) => void;
}

export interface FanoutRunResult {
  subscribers: { sse: number; ws: number; connectMs: number };
  events: { sent: number; accepted: number; rate: number; sendSpanMs: number; committed: number; requestMs: LatencySummary };
  deliveries: {
    expected: number;
    received: number;
    missed: number;
    subscribersMissing: number;
    duplicates: number;
    unknown: number;
    errors: number;
    firstErrors: string[];
    allDelivered: boolean;
  };
  /** From commit (and, as bounds, from request sent and reply received) to receipt, ms. */
  latency: Record<string, LatencySummary>;
  /** Time from the last commit until the last delivery arrived. */
  drainMs: number;
  memory: {
    gcMethod: string;
    heapBeforeBytes: number;
    heapAfterBytes: number;
    rssBeforeBytes: number;
    rssAfterBytes: number;
    heapPerSubscriberBytes: number;
    rssPerSubscriberBytes: number;
  };
  cpu: { gatewayCoreSeconds: number; clientCoreSeconds: number; windowMs: number; gatewayCores: number; clientCores: number };
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  clock: { offsetMs: number; roundTripMs: number };
  gatewayErrors: number;
  goal: { p99Ms: number; met: boolean } | null;
  profile?: string;
  /** The same subscribers and events on the bare-sockets baseline (bench/lib/floor-server.ts), same run. */
  floor?: FloorRunResult;
}

/** The baseline: what writing ready frames to the same N sockets costs, nothing else. */
export interface FloorRunResult {
  deliveries: { expected: number; received: number; allDelivered: boolean };
  /** From the start of each broadcast to receipt, ms. */
  latency: LatencySummary;
  heapPerSubscriberBytes: number;
  rssPerSubscriberBytes: number;
  cpu: { serverCores: number; clientCores: number };
}

export interface FanoutSuiteResult {
  parameters: {
    database: BenchDatabaseKind;
    subscribers: number[];
    rate: number | string;
    seconds: number;
    sessions: number;
    query: string;
    transports: string;
    fdLimit: number | null;
  };
  runs: FanoutRunResult[];
}

export const FANOUT_QUERY = 'subscription { sessionUpdated { kind session { externalId } message { text } } }';
/** The filtered run's query: one bot per subscriber. */
export const FANOUT_FILTERED_QUERY =
  'subscription($bots: [String!]) { sessionUpdated(filter: { botIds: $bots }) { kind session { externalId } message { text } } }';

// ---- ingest ----

const WEBHOOK = INGEST_ROUTES['chatlayer.webhook'];
const BASE_TIME = Date.parse('2026-11-20T08:00:00.000Z');

/** Session s belongs to bot s % filters (`fanout-bench-<k>`), or to `fanout-bench` without filters. */
const botOf = (session: number, filters: number) => (filters > 0 ? `fanout-bench-${String(session % filters)}` : 'fanout-bench');

function webhookEvent(session: number, text: string, atMs: number, filters: number) {
  return {
    event: 'messages',
    botId: botOf(session, filters),
    version: 'LIVE',
    sessionId: `fanout-${String(session)}`,
    channel: 'web',
    messages: [{ actor: 'user', message: { text }, timestamp: new Date(atMs).toISOString() }],
  };
}

async function postWebhook(base: string, body: unknown): Promise<{ status: number; created: number; body: string }> {
  const response = await fetch(`${base}${WEBHOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  let created = 0;
  try {
    created = (JSON.parse(text) as { created?: number }).created ?? 0;
  } catch {
    // reported through status
  }
  return { status: response.status, created, body: text };
}

function summarise(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!, 2));
  return { count: sorted.length, min: sorted.length === 0 ? null : round(sorted[0]!, 2), p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

// ---- the baseline ----

/**
 * The same subscribers (same process, same transports, same mix) and the same event rate, served by
 * bench/lib/floor-server.ts: each event is one pre-serialised frame written to every socket. Its
 * latency and CPU are the floor of a fan-out on this machine; Parley's figures are read against it.
 */
async function runFloor(n: number, rate: number, seconds: number, log: (line: string) => void): Promise<FloorRunResult> {
  const { gc } = findGc();
  const server = await startFloorServer();
  let clients: Clients | undefined;
  try {
    clients = await Clients.start();
    const before = await settledMemory(gc);
    const sse = Math.ceil(n / 2);
    const connected = await clients.ask(
      { type: 'connect', url: server.url, query: FANOUT_QUERY, filters: 0, sse, ws: n - sse, concurrency: 200 },
      'connected',
      300_000,
    );
    if (connected.failures.length > 0)
      throw new Error(`floor: ${String(connected.failures.length)} subscribers failed to connect: ${connected.failures.join('; ')}`);
    const waitStart = Date.now();
    while (server.subscriberCount < n) {
      if (Date.now() - waitStart > 120_000) throw new Error(`floor: only ${String(server.subscriberCount)} of ${String(n)} subscribed`);
      await sleep(20);
    }
    const after = await settledMemory(gc);
    const clock = await clients.clockOffset();
    const total = Math.round(rate * seconds);
    await clients.ask({ type: 'expect', events: total, eventFilters: null }, 'expecting');
    const sentAt: number[] = [];
    const cpuStart = process.cpuUsage();
    const clientCpuStart = (await clients.ask({ type: 'progress' }, 'progress')).cpu;
    const windowStart = wallNow();
    for (let k = 0; k < total; k++) {
      const wait = windowStart + (k * 1000) / rate - wallNow();
      if (wait > 0) await sleep(wait);
      sentAt[k] = wallNow();
      server.broadcast({
        data: {
          sessionUpdated: {
            kind: 'MESSAGE_ADDED',
            session: { externalId: `fanout-${String(k % 20)}` },
            message: { text: `fanout #${String(k)} sent ${new Date(sentAt[k]!).toISOString()}` },
          },
        },
        extensions: { eventId: String(k + 1) },
      });
    }
    const expected = total * n;
    let progress = await clients.ask({ type: 'progress' }, 'progress');
    const drainStart = Date.now();
    while (progress.received < expected && Date.now() - drainStart < 30_000) {
      await sleep(100);
      progress = await clients.ask({ type: 'progress' }, 'progress');
    }
    const windowMs = wallNow() - windowStart;
    const cpu = process.cpuUsage(cpuStart);
    const report = await clients.ask({ type: 'report', references: { commit: sentAt }, offsetMs: clock.offsetMs }, 'report', 120_000);
    const clientCpu = report.cpu.user + report.cpu.system - clientCpuStart.user - clientCpuStart.system;
    const latency = report.latency.commit!;
    const result: FloorRunResult = {
      deliveries: {
        expected,
        received: report.received,
        allDelivered: report.missed === 0 && report.duplicates === 0 && report.unknown === 0 && report.errors === 0,
      },
      latency: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, v === null || k === 'count' ? v : round(v, 2)])) as unknown as LatencySummary,
      heapPerSubscriberBytes: Math.round((after.heap - before.heap) / n),
      rssPerSubscriberBytes: Math.round((after.rss - before.rss) / n),
      cpu: { serverCores: round((cpu.user + cpu.system) / 1000 / windowMs, 2), clientCores: round(clientCpu / 1000 / windowMs, 2) },
    };
    log(
      `  floor (bare sockets): ${String(report.received)}/${String(expected)} delivered, p50 ${String(result.latency.p50)} ms, p99 ${String(result.latency.p99)} ms; ` +
        `server ${String(result.cpu.serverCores)} cores; heap +${(result.heapPerSubscriberBytes / 1024).toFixed(1)} KiB per subscriber`,
    );
    return result;
  } finally {
    await clients?.stop();
    await server.close();
  }
}

// ---- one run ----

async function runOnce(
  gatewayOf: () => Promise<{ gateway: Gateway; server: ListeningServer; commits: Map<string, number>; errors: unknown[] }>,
  n: number,
  options: FanoutSuiteOptions & { sessions: number; timeBase: number; rate: number },
  prisma: Gateway['database']['prisma'],
  log: (line: string) => void,
): Promise<FanoutRunResult> {
  const { gateway, server, commits, errors } = await gatewayOf();
  const base = server.url.replace(/\/graphql$/, '');
  const { gc, method } = findGc();
  let clients: Clients | undefined;
  try {
    clients = await Clients.start();
    const before = await settledMemory(gc);
    const sse = Math.ceil(n / 2);
    const ws = n - sse;
    log(`  ${String(n)} subscribers (${String(sse)} SSE, ${String(ws)} WebSocket): connecting...`);
    const filters = options.filters ?? 0;
    const query = filters > 0 ? FANOUT_FILTERED_QUERY : FANOUT_QUERY;
    const connected = await clients.ask({ type: 'connect', url: server.url, query, filters, sse, ws, concurrency: 200 }, 'connected', 300_000);
    if (connected.failures.length > 0) {
      const limit = fileDescriptorLimit();
      const hint = connected.emfile
        ? ` — out of file descriptors (ulimit -n is ${String(limit)}; each side needs about one per subscriber: raise it with \`ulimit -n\` before \`npm run bench\`)`
        : '';
      throw new Error(
        `only ${String(connected.sse + connected.ws)} of ${String(n)} subscribers connected${hint}; first failures: ${connected.failures.join('; ')}`,
      );
    }
    const waitStart = Date.now();
    while (gateway.live.subscriberCount < n) {
      if (Date.now() - waitStart > 120_000) throw new Error(`only ${String(gateway.live.subscriberCount)} of ${String(n)} subscriptions reached the hub`);
      await sleep(50);
    }
    const after = await settledMemory(gc);
    log(
      `  connected in ${(connected.ms / 1000).toFixed(1)} s; heap +${((after.heap - before.heap) / n / 1024).toFixed(1)} KiB, RSS +${((after.rss - before.rss) / n / 1024).toFixed(1)} KiB per subscriber`,
    );
    const clock = await clients.clockOffset();

    const total = Math.round(options.rate * options.seconds);
    const eventFilters = filters > 0 ? Array.from({ length: total }, (_, k) => (k % options.sessions) % filters) : null;
    await clients.ask({ type: 'expect', events: total, eventFilters }, 'expecting');
    const sentAt: (number | null)[] = new Array<number | null>(total).fill(null);
    const repliedAt: (number | null)[] = new Array<number | null>(total).fill(null);
    const statuses: number[] = [];
    let accepted = 0;
    commits.clear();

    const profiler = options.profileDir ? await startCpuProfile() : null;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpuStart = process.cpuUsage();
    const clientCpuStart = (await clients.ask({ type: 'progress' }, 'progress')).cpu;
    const windowStart = wallNow();

    log(`  ingesting ${String(total)} webhook events at ${String(options.rate)}/s...`);
    const requests: Promise<void>[] = [];
    for (let k = 0; k < total; k++) {
      const due = windowStart + (k * 1000) / options.rate;
      const wait = due - wallNow();
      if (wait > 0) await sleep(wait);
      sentAt[k] = wallNow();
      const body = webhookEvent(
        k % options.sessions,
        `fanout #${String(k)} sent ${new Date(sentAt[k]!).toISOString()}`,
        options.timeBase + (k + 1) * 1000,
        filters,
      );
      requests.push(
        postWebhook(base, body).then((reply) => {
          repliedAt[k] = wallNow();
          statuses.push(reply.status);
          if (reply.status === 200) accepted++;
          else log(`  event ${String(k)}: ${String(reply.status)} ${reply.body.slice(0, 200)}`);
        }),
      );
    }
    await Promise.all(requests);
    const sendSpanMs = wallNow() - windowStart;

    // Drain: until everything arrived, or nothing arrived for 15 s, or the drain timeout.
    // With filters, event k reaches the subscribers of its bot: those i with i % filters equal to it.
    const subscribersOf = (filter: number) => Math.floor(n / filters) + (filter < n % filters ? 1 : 0);
    const expected = eventFilters === null ? total * n : eventFilters.reduce((sum, filter) => sum + subscribersOf(filter), 0);
    const drainStart = Date.now();
    let last = -1;
    let lastChange = Date.now();
    let progress = await clients.ask({ type: 'progress' }, 'progress');
    while (progress.received < expected && Date.now() - drainStart < (options.drainTimeoutMs ?? 120_000) && Date.now() - lastChange < 15_000) {
      if (progress.received !== last) {
        last = progress.received;
        lastChange = Date.now();
      }
      await sleep(200);
      progress = await clients.ask({ type: 'progress' }, 'progress');
    }
    const windowMs = wallNow() - windowStart;
    const cpu = process.cpuUsage(cpuStart);
    loop.disable();
    let profile: string | undefined;
    if (profiler) {
      const written = await profiler.stop(options.profileDir!, `fanout-${String(n)}`);
      profile = written.summary;
      log(`  CPU profile of the gateway process: ${written.file}\n${profile}`);
    }

    // Commit time per event: the bus stamped message ids; the message's text says which event it is.
    const messages = await prisma.message.findMany({ where: { id: { in: [...commits.keys()] } }, select: { id: true, text: true } });
    const commitAt: (number | null)[] = new Array<number | null>(total).fill(null);
    for (const message of messages) {
      const match = /^fanout #(\d+)\b/.exec(message.text ?? '');
      if (match) commitAt[Number(match[1])] = commits.get(message.id) ?? null;
    }
    const committed = commitAt.filter((t) => t !== null).length;
    const report: DeliveryReport = await clients.ask(
      { type: 'report', references: { commit: commitAt, 'request sent': sentAt, 'reply received': repliedAt }, offsetMs: clock.offsetMs },
      'report',
      120_000,
    );
    const lastCommit = Math.max(...commitAt.map((t) => t ?? 0));
    const latency = Object.fromEntries(
      Object.entries(report.latency).map(([name, s]) => [
        name,
        { ...s, ...Object.fromEntries((['min', 'p50', 'p90', 'p99', 'max'] as const).map((k) => [k, s[k] === null ? null : round(s[k], 2)])) },
      ]),
    );
    const clientCpu = report.cpu.user + report.cpu.system - clientCpuStart.user - clientCpuStart.system;
    const p99 = report.latency.commit?.p99 ?? null;
    const result: FanoutRunResult = {
      subscribers: { sse: connected.sse, ws: connected.ws, connectMs: Math.round(connected.ms) },
      events: {
        sent: total,
        accepted,
        rate: options.rate,
        sendSpanMs: Math.round(sendSpanMs),
        committed,
        requestMs: summarise(sentAt.flatMap((t, k) => (t !== null && repliedAt[k] !== null ? [repliedAt[k]! - t] : []))),
      },
      deliveries: {
        expected,
        received: report.received,
        missed: report.missed,
        subscribersMissing: report.subscribersMissing,
        duplicates: report.duplicates,
        unknown: report.unknown,
        errors: report.errors,
        firstErrors: report.firstErrors,
        allDelivered: report.missed === 0 && report.duplicates === 0 && report.unknown === 0 && report.errors === 0 && committed === total,
      },
      latency,
      drainMs: Math.round(progress.lastDeliveryAt - clock.offsetMs - lastCommit),
      memory: {
        gcMethod: method,
        heapBeforeBytes: before.heap,
        heapAfterBytes: after.heap,
        rssBeforeBytes: before.rss,
        rssAfterBytes: after.rss,
        heapPerSubscriberBytes: Math.round((after.heap - before.heap) / n),
        rssPerSubscriberBytes: Math.round((after.rss - before.rss) / n),
      },
      cpu: {
        gatewayCoreSeconds: round((cpu.user + cpu.system) / 1e6, 2),
        clientCoreSeconds: round(clientCpu / 1e6, 2),
        windowMs: Math.round(windowMs),
        gatewayCores: round((cpu.user + cpu.system) / 1000 / windowMs, 2),
        clientCores: round(clientCpu / 1000 / windowMs, 2),
      },
      eventLoopDelayMs: { p50: round(loop.percentile(50) / 1e6), p99: round(loop.percentile(99) / 1e6), max: round(loop.max / 1e6) },
      clock: { offsetMs: round(clock.offsetMs, 3), roundTripMs: round(clock.roundTripMs, 3) },
      gatewayErrors: errors.length,
      // The goal is every subscriber receiving every event: a filtered run (each event to 1/n of them) is not measured against it.
      goal:
        n >= FANOUT_GOAL.subscribers && filters === 0
          ? { p99Ms: FANOUT_GOAL.p99Ms, met: p99 !== null && p99 < FANOUT_GOAL.p99Ms && report.missed === 0 }
          : null,
      ...(profile ? { profile } : {}),
    };
    const c = result.latency.commit;
    log(
      `  ${String(report.received)}/${String(expected)} delivered, p50 ${String(c?.p50)} ms, p99 ${String(c?.p99)} ms, max ${String(c?.max)} ms; ` +
        `gateway ${String(result.cpu.gatewayCores)} cores, clients ${String(result.cpu.clientCores)} cores over ${(windowMs / 1000).toFixed(1)} s`,
    );
    return result;
  } finally {
    await clients?.stop();
    await server.close(5_000);
  }
}

export async function runFanoutSuite(options: FanoutSuiteOptions): Promise<FanoutSuiteResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  // At least one session per filter (bot), so every bot has events.
  const sessions = options.sessions ?? Math.max(20, options.filters ?? 0);
  const fdLimit = fileDescriptorLimit();
  const biggest = Math.max(...options.subscribers);
  if (fdLimit !== null && fdLimit < biggest + 200) {
    throw new Error(
      `ulimit -n is ${String(fdLimit)}: too low for ${String(biggest)} subscribers (the gateway and the subscribers' process each hold one socket per subscriber, plus ~200). ` +
        'Node cannot raise its own limit: run `ulimit -n <n>` in the shell first.',
    );
  }
  const rates = options.subscribers.map((n) => `${String(options.rate ?? DELIVERIES_PER_SECOND / n)} events/s`);
  log(
    `fanout: ${options.database}, subscribers ${options.subscribers.join(', ')} (${rates.join(', ')}) for ${String(options.seconds)} s, ulimit -n ${String(fdLimit)}`,
  );
  const { database, close } = await openParleyDatabase(options.database);
  try {
    // The events are spread over sessions that exist before anyone subscribes: each event is then one MESSAGE_ADDED.
    const runs: FanoutRunResult[] = [];
    for (const [index, n] of options.subscribers.entries()) {
      const start = async () => {
        const errors: unknown[] = [];
        const commits = new Map<string, number>();
        const inner = createInProcessEventBus((error) => errors.push(error));
        const events: EventBus = {
          publish(published) {
            const at = wallNow();
            for (const event of published) if (event.kind === 'MESSAGE_ADDED' && event.messageId) commits.set(event.messageId, at);
            inner.publish(published);
          },
          subscribe: (listener) => inner.subscribe(listener),
        };
        // The limits protect a production process; here the benchmark chooses the load.
        const unlimited = { maxSubscriptions: Number.MAX_SAFE_INTEGER, maxSubscriptionsPerKey: Number.MAX_SAFE_INTEGER };
        const gateway = createGateway({ database, events, production: false, live: unlimited, logError: (error) => errors.push(error) });
        const server = await listen(gateway, { port: 0, host: '127.0.0.1' });
        if (index === 0) {
          const base = server.url.replace(/\/graphql$/, '');
          for (let s = 0; s < sessions; s++) {
            const reply = await postWebhook(base, webhookEvent(s, 'warm-up', BASE_TIME - 86_400_000, options.filters ?? 0));
            if (reply.status !== 200) throw new Error(`warm-up webhook: ${String(reply.status)} ${reply.body.slice(0, 300)}`);
          }
        }
        return { gateway, server, commits, errors };
      };
      // Each run's messages get later timestamps (a Chatlayer message's sequence is its timestamp), so all are new.
      const rate = options.rate ?? DELIVERIES_PER_SECOND / n;
      const run = await runOnce(start, n, { ...options, sessions, rate, timeBase: BASE_TIME + index * 86_400_000 }, database.prisma, log);
      if (options.floor !== false && (options.filters ?? 0) === 0) run.floor = await runFloor(n, rate, options.seconds, log);
      runs.push(run);
      if (runs.at(-1)!.gatewayErrors > 0) log(`  the gateway logged ${String(runs.at(-1)!.gatewayErrors)} error(s)`);
    }
    return {
      parameters: {
        database: options.database,
        subscribers: [...options.subscribers],
        rate: options.rate ?? `${String(DELIVERIES_PER_SECOND)} / subscribers`,
        seconds: options.seconds,
        sessions,
        query: (options.filters ?? 0) > 0 ? `${FANOUT_FILTERED_QUERY} (${String(options.filters)} filters)` : FANOUT_QUERY,
        transports: 'half SSE (distinct connections, POST accept: text/event-stream), half WebSocket (graphql-transport-ws)',
        fdLimit,
      },
      runs,
    };
  } finally {
    await close();
  }
}

const ms = (value: number | null | undefined) => (value === null || value === undefined ? '-' : `${value.toFixed(1)} ms`);

export function fanoutTable(result: FanoutSuiteResult): string {
  const rows: Cell[][] = result.runs.flatMap((run) => {
    const c = run.latency.commit;
    const check = run.deliveries.allDelivered
      ? 'all delivered'
      : `MISSED ${run.deliveries.missed.toLocaleString('en-US')} (${String(run.deliveries.subscribersMissing)} subscribers), dup ${String(run.deliveries.duplicates)}, errors ${String(run.deliveries.errors)}`;
    const goal = run.goal ? `; goal p99 < ${String(run.goal.p99Ms)} ms ${run.goal.met ? 'met' : 'NOT MET'}` : '';
    const row: Cell[] = [
      run.subscribers.sse + run.subscribers.ws,
      `${String(run.events.rate)}/s`,
      `${String(run.events.accepted)}/${String(run.events.sent)}`,
      `${run.deliveries.received.toLocaleString('en-US')}/${run.deliveries.expected.toLocaleString('en-US')}`,
      ms(c?.p50),
      ms(c?.p99),
      ms(c?.max),
      `${(run.memory.heapPerSubscriberBytes / 1024).toFixed(1)} / ${(run.memory.rssPerSubscriberBytes / 1024).toFixed(1)} KiB`,
      `${run.cpu.gatewayCores.toFixed(2)} / ${run.cpu.clientCores.toFixed(2)}`,
      check + goal,
    ];
    const floor = run.floor;
    if (!floor) return [row];
    const ratio = (parley: number | null | undefined, base: number | null) => (parley && base ? ` (${(parley / base).toFixed(1)}x)` : '');
    return [
      row,
      [
        '  baseline: bare sockets',
        `${String(run.events.rate)}/s`,
        '-',
        `${floor.deliveries.received.toLocaleString('en-US')}/${floor.deliveries.expected.toLocaleString('en-US')}`,
        ms(floor.latency.p50),
        ms(floor.latency.p99),
        ms(floor.latency.max),
        `${(floor.heapPerSubscriberBytes / 1024).toFixed(1)} / ${(floor.rssPerSubscriberBytes / 1024).toFixed(1)} KiB`,
        `${floor.cpu.serverCores.toFixed(2)} / ${floor.cpu.clientCores.toFixed(2)}`,
        `${floor.deliveries.allDelivered ? 'all delivered' : 'MISSED some'}; Parley p99${ratio(c?.p99, floor.latency.p99)} of this`,
      ],
    ];
  });
  const p = result.parameters;
  const title =
    `fanout: ${p.database}, sessionUpdated, half SSE / half WebSocket, Chatlayer webhook events (one MESSAGE_ADDED each) for ${String(p.seconds)} s, ` +
    `latency from commit to receipt; memory per subscriber: gateway heap / RSS after GC; CPU: cores used by the gateway / the subscribers' process; ` +
    `baseline: the same subscribers and rate served by a server that only writes one ready frame per event to every socket (bench/lib/floor-server.ts), latency from the start of that write`;
  return `${title}\n\n${renderTable(
    [
      { header: 'subscribers' },
      { header: 'rate', align: 'right' },
      { header: 'events', align: 'right' },
      { header: 'deliveries', align: 'right' },
      { header: 'p50', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'max', align: 'right' },
      { header: 'heap / RSS per sub', align: 'right' },
      { header: 'CPU gw / clients', align: 'right' },
      { header: 'check' },
    ],
    rows,
  )}`;
}
