// A client process of the neighbours suite (bench/suites/neighbours.ts forks it with `node --import tsx`):
// the victim's dashboard loop, or the attacker's subscriptions, ingest, repeated requests and floods,
// each driven over IPC (bench/lib/neighbours-protocol.ts). It never shares an event loop with the
// gateway (a process of its own) nor with the other side, so a slow answer is the gateway's, not a
// busy client's.
//
// A refusal is a result, never a crash: every answer is reduced to its HTTP status and error code
// (RATE_LIMITED, COST_LIMIT_EXCEEDED, TOO_MANY_SUBSCRIPTIONS...), which the suite reports.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import WebSocket from 'ws';
import type {
  AuthTimingCommand,
  AuthTimingReport,
  Envelope,
  FloodCommand,
  FloodReport,
  IngestCommand,
  RepeatCommand,
  RepeatReport,
  RequestSample,
  SubscribeCommand,
  SubscriptionsReport,
  VictimCommand,
  WorkerCommand,
  WorkerReply,
} from './neighbours-protocol.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();

// ---- HTTP ----

/** Keep-alive sockets, as a dashboard or an SDK keeps them. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

interface Answer {
  status: number;
  text: string;
  ms: number;
  /** Why no answer came: `TIMEOUT` or `NETWORK: <code>`. */
  failure: string | null;
}

/** POSTs `body`; never rejects: a timeout or a broken connection is an answer too. */
function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number | null, signal?: AbortSignal): Promise<Answer> {
  const started = now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number, text: string, failure: string | null) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ status, text, ms: now() - started, failure });
    };
    const onAbort = () => {
      finish(0, '', 'CUT_OFF');
      req.destroy();
    };
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
    });
    const timer =
      timeoutMs === null
        ? null
        : setTimeout(() => {
            finish(0, '', 'TIMEOUT');
            req.destroy();
          }, timeoutMs);
    signal?.addEventListener('abort', onAbort);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), null));
      res.on('error', (error: NodeJS.ErrnoException) => finish(0, '', `NETWORK: ${error.code ?? error.message}`));
    });
    req.on('error', (error: NodeJS.ErrnoException) => finish(0, '', `NETWORK: ${error.code ?? error.message}`));
    req.end(body);
  });
}

interface GraphqlAnswer {
  data?: unknown;
  errors?: { extensions?: { code?: unknown } }[];
  error?: { code?: unknown };
}

/** The first error code of a GraphQL or ingest answer; `HTTP <status>` when it names none; null when there is none. */
function errorCode(answer: Answer): string | null {
  if (answer.failure) return answer.failure;
  let parsed: GraphqlAnswer | null = null;
  try {
    parsed = JSON.parse(answer.text) as GraphqlAnswer;
  } catch {
    // not JSON: the status says it
  }
  const code = parsed?.errors?.[0]?.extensions?.code ?? parsed?.error?.code;
  if (typeof code === 'string') return code;
  if (parsed?.errors?.length) return 'UNCODED_ERROR';
  return answer.status >= 200 && answer.status < 300 ? null : `HTTP ${String(answer.status)}`;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

// ---- the victim ----

let victim: { stop: boolean; done: Promise<RequestSample[]> } | null = null;

function startVictim(command: VictimCommand): void {
  const state = { stop: false, done: Promise.resolve<RequestSample[]>([]) };
  state.done = (async () => {
    const samples: RequestSample[] = [];
    while (!state.stop) {
      const answer = await post(command.url, bearer(command.key), command.body, command.timeoutMs);
      let code = errorCode(answer);
      if (code === null) {
        // Right only when it is the page asked for: a 200 with less is not a fast answer.
        const edges = (JSON.parse(answer.text) as { data?: { sessions?: { edges?: unknown[] } } }).data?.sessions?.edges;
        if (edges?.length !== command.expectEdges) code = 'BAD_ANSWER';
      }
      samples.push({ ms: answer.ms, status: answer.status, code });
      const wait = command.intervalMs - answer.ms;
      if (wait > 0 && !state.stop) await sleep(wait);
    }
    return samples;
  })();
  victim = state;
}

// ---- subscriptions (graphql-transport-ws) ----

interface Operation {
  socket: WebSocket | null;
  id: string;
  document: string;
  state: 'pending' | 'open' | 'refused';
  timer: NodeJS.Timeout | null;
}

interface SubscriptionState {
  requested: number;
  operations: Operation[];
  sockets: WebSocket[];
  refused: Record<string, number>;
  laterErrors: Record<string, number>;
  socketsClosed: Record<string, number>;
  rateLimitedRetries: number;
  payloads: number;
  started: number;
  lastSettled: number;
  closing: boolean;
  deadline: number;
}

let subscriptions: SubscriptionState | null = null;
function count(record: Record<string, number>, key: string, n = 1): void {
  record[key] = (record[key] ?? 0) + n;
}

function codesOf(payload: unknown): string[] {
  const errors = Array.isArray(payload) ? payload : (payload as { errors?: unknown[] } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return [];
  return errors.map((error) => {
    const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
    return typeof code === 'string' ? code : 'UNCODED_ERROR';
  });
}

function subscribeAll(command: SubscribeCommand): Promise<SubscriptionsReport> {
  const state: SubscriptionState = {
    requested: command.groups.reduce((sum, group) => sum + group.documents.length, 0),
    operations: [],
    sockets: [],
    refused: {},
    laterErrors: {},
    socketsClosed: {},
    rateLimitedRetries: 0,
    payloads: 0,
    started: now(),
    lastSettled: now(),
    closing: false,
    deadline: now() + command.retryForMs,
  };
  subscriptions = state;
  return new Promise((resolve) => {
    const settledCheck = () => {
      if (state.operations.length === state.requested && state.operations.every((op) => op.state !== 'pending')) resolve(subscriptionsReport());
    };
    const settle = (op: Operation, to: 'open' | 'refused', code?: string) => {
      if (op.state !== 'pending') return;
      if (op.timer) clearTimeout(op.timer);
      op.state = to;
      if (to === 'refused') count(state.refused, code ?? 'UNKNOWN');
      state.lastSettled = now();
      settledCheck();
    };
    const send = (op: Operation) => {
      if (state.closing || !op.socket || op.socket.readyState !== WebSocket.OPEN) return;
      op.socket.send(JSON.stringify({ id: op.id, type: 'subscribe', payload: { query: op.document } }));
      op.timer = setTimeout(() => settle(op, 'open'), command.confirmMs);
    };
    /** RATE_LIMITED: wait as told (at least 1 s) and send again, until the retry time runs out. */
    const retry = (op: Operation, afterSeconds: number, code: string) => {
      if (op.timer) clearTimeout(op.timer);
      if (now() + afterSeconds * 1000 > state.deadline) return settle(op, 'refused', code);
      state.rateLimitedRetries += 1;
      op.timer = setTimeout(() => send(op), Math.max(1, afterSeconds) * 1000);
    };
    const openGroup = (key: string, ops: Operation[], attempt: number) => {
      const socket = new WebSocket(command.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { perMessageDeflate: false });
      state.sockets.push(socket);
      let acknowledged = false;
      for (const op of ops) op.socket = socket;
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })));
      socket.on('message', (raw: Buffer) => {
        const message = JSON.parse(raw.toString('utf8')) as { type: string; id?: string; payload?: unknown };
        const op = message.id === undefined ? undefined : ops.find((o) => o.id === message.id);
        switch (message.type) {
          case 'connection_ack':
            acknowledged = true;
            for (const o of ops) send(o);
            break;
          case 'ping':
            socket.send(JSON.stringify({ type: 'pong' }));
            break;
          case 'next': {
            if (!op) break;
            const codes = codesOf(message.payload);
            if (codes.length === 0) {
              state.payloads += 1;
              settle(op, 'open');
            } else if (op.state === 'pending' && codes[0] === 'RATE_LIMITED') {
              retry(op, retryAfterOf(message.payload), codes[0]);
            } else if (op.state === 'pending') settle(op, 'refused', codes[0]);
            else for (const code of codes) count(state.laterErrors, code);
            break;
          }
          case 'error': {
            if (!op) break;
            const code = codesOf(message.payload)[0] ?? 'UNCODED_ERROR';
            if (op.state === 'pending' && code === 'RATE_LIMITED') retry(op, retryAfterOf(message.payload), code);
            else if (op.state === 'pending') settle(op, 'refused', code);
            else count(state.laterErrors, code);
            break;
          }
          case 'complete':
            if (op && op.state === 'open' && !state.closing) count(state.laterErrors, 'COMPLETED');
            break;
        }
      });
      socket.on('error', () => undefined);
      socket.on('close', (code) => {
        if (state.closing) return;
        if (!acknowledged && code === 4429 && now() + 1000 < state.deadline) {
          // The connection itself was rate-limited: connect again after the window.
          state.rateLimitedRetries += 1;
          setTimeout(() => openGroup(key, ops, attempt + 1), 1000);
          return;
        }
        count(state.socketsClosed, String(code));
        const reason = code === 4429 ? 'RATE_LIMITED' : code === 4403 ? 'UNAUTHENTICATED' : `SOCKET_CLOSED_${String(code)}`;
        for (const op of ops) settle(op, 'refused', reason);
      });
    };
    let n = 0;
    for (const group of command.groups) {
      const ops = group.documents.map((document) => ({ socket: null, id: String(++n), document, state: 'pending' as const, timer: null }));
      state.operations.push(...ops);
      openGroup(group.key, ops, 0);
    }
    settledCheck();
  });
}

function retryAfterOf(payload: unknown): number {
  const errors = Array.isArray(payload) ? payload : (payload as { errors?: unknown[] } | null)?.errors;
  const seconds = (errors?.[0] as { extensions?: { retryAfterSeconds?: unknown } } | undefined)?.extensions?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? seconds : 1;
}

function subscriptionsReport(): SubscriptionsReport {
  const state = subscriptions;
  if (!state) {
    return {
      type: 'subscriptions-report',
      requested: 0,
      open: 0,
      refused: {},
      rateLimitedRetries: 0,
      payloads: 0,
      laterErrors: {},
      socketsClosed: {},
      openMs: 0,
    };
  }
  return {
    type: 'subscriptions-report',
    requested: state.requested,
    open: state.operations.filter((op) => op.state === 'open').length,
    refused: { ...state.refused },
    rateLimitedRetries: state.rateLimitedRetries,
    payloads: state.payloads,
    laterErrors: { ...state.laterErrors },
    socketsClosed: { ...state.socketsClosed },
    openMs: Math.round(state.lastSettled - state.started),
  };
}

async function unsubscribeAll(): Promise<void> {
  const state = subscriptions;
  if (!state) return;
  state.closing = true;
  for (const op of state.operations) if (op.timer) clearTimeout(op.timer);
  await Promise.all(
    state.sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close(1000, 'done');
          setTimeout(() => {
            socket.terminate();
            resolve();
          }, 2000);
        }),
    ),
  );
  subscriptions = null;
}

// ---- ingest at a steady rate ----

/** How long the last ingest requests may take once the ingest is stopped; later, they are cut off (CUT_OFF). */
const INGEST_GRACE_MS = 5_000;

let ingest: { stop: boolean; cut: AbortController; done: Promise<RequestSample[]> } | null = null;

function startIngest(command: IngestCommand): void {
  const state = { stop: false, cut: new AbortController(), done: Promise.resolve<RequestSample[]>([]) };
  state.done = (async () => {
    const samples: RequestSample[] = [];
    const inFlight = new Set<Promise<void>>();
    const started = now();
    for (let k = 0; !state.stop; k++) {
      const wait = started + (k * 1000) / command.perSecond - now();
      if (wait > 0) await sleep(wait);
      if (state.stop) break;
      // Sent on schedule whether or not the last one was answered (a sender does not wait for a slow
      // gateway), but never more than 10 at once.
      while (inFlight.size >= 10) await Promise.race(inFlight);
      const body = command.bodies[k % command.bodies.length]!;
      const request = post(`${command.url}${command.route}`, bearer(command.key), body, null, state.cut.signal).then((answer) => {
        samples.push({ ms: answer.ms, status: answer.status, code: errorCode(answer) });
        inFlight.delete(request);
      });
      inFlight.add(request);
    }
    const grace = setTimeout(() => state.cut.abort(), INGEST_GRACE_MS);
    await Promise.all(inFlight);
    clearTimeout(grace);
    return samples;
  })();
  ingest = state;
}

// ---- the same request, `concurrency` at a time ----

async function repeat(command: RepeatCommand): Promise<RepeatReport> {
  const samples: RequestSample[] = [];
  const abort = new AbortController();
  const end = now() + command.seconds * 1000;
  let cutOff = 0;
  const lane = async () => {
    while (now() < end) {
      const answer = await post(command.url, bearer(command.key), command.body, null, abort.signal);
      if (answer.failure === 'CUT_OFF') {
        cutOff += 1;
        return;
      }
      samples.push({ ms: answer.ms, status: answer.status, code: errorCode(answer) });
    }
  };
  const lanes = Promise.all(Array.from({ length: command.concurrency }, lane));
  await sleep(command.seconds * 1000);
  const grace = setTimeout(() => abort.abort(), command.graceMs);
  await lanes;
  clearTimeout(grace);
  return { type: 'repeat-report', samples, cutOff };
}

// ---- unknown keys ----

/** A key of the right shape (`pk_<12 hex>_<43 base64url>`), with the given prefix or a random one. */
const randomKey = (prefix = randomBytes(6).toString('hex')) => `pk_${prefix}_${randomBytes(32).toString('base64url')}`;
const PROBE = JSON.stringify({ query: '{ __typename }' });

async function flood(command: FloodCommand): Promise<FloodReport> {
  const started = now();
  const result = await autocannon({
    url: command.url,
    connections: command.connections,
    amount: command.requests,
    overallRate: command.requests / command.seconds,
    timeout: 10,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: PROBE,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${randomKey()}` } }) }],
  });
  const statuses: Record<string, number> = {};
  for (const [status, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = stat?.count ?? 0;
  return {
    type: 'flood-report',
    sent: result.requests.total,
    ms: Math.round(now() - started),
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
  };
}

const median = (values: number[]) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function authTiming(command: AuthTimingCommand): Promise<AuthTimingReport> {
  const times = { existing: [] as number[], missing: [] as number[] };
  const statuses = { existing: {} as Record<string, number>, missing: {} as Record<string, number> };
  const warmUp = 20;
  for (let i = 0; i < warmUp + command.samples; i++) {
    // Alternating, so whatever else the machine does falls on both alike.
    for (const which of i % 2 === 0 ? (['existing', 'missing'] as const) : (['missing', 'existing'] as const)) {
      const key = which === 'existing' ? randomKey(command.existingPrefix) : randomKey();
      // Each probe from an address of its own (the gateway trusts one proxy's X-Forwarded-For here), so
      // what is timed is the key's lookup, not the failed-authentication limit the flood set off.
      const address = `198.18.${String((i >> 8) & 255)}.${String(i & 255)}`;
      const answer = await post(command.url, { ...bearer(key), 'x-forwarded-for': address }, PROBE, 10_000);
      if (i < warmUp) continue;
      count(statuses[which], answer.failure ?? String(answer.status));
      if (answer.status === 401) times[which].push(answer.ms);
    }
  }
  const round = (ms: number | null) => (ms === null ? null : Math.round(ms * 1000) / 1000);
  return {
    type: 'auth-timing-report',
    existingPrefix: { medianMs: round(median(times.existing)), statuses: statuses.existing },
    missingPrefix: { medianMs: round(median(times.missing)), statuses: statuses.missing },
  };
}

// ---- IPC ----

function reply(id: number, message: WorkerReply): void {
  process.send!({ id, message } satisfies Envelope<WorkerReply>);
}

async function handle(command: WorkerCommand): Promise<WorkerReply> {
  switch (command.type) {
    case 'victim':
      startVictim(command);
      return { type: 'started' };
    case 'stop-victim': {
      if (!victim) return { type: 'victim-report', samples: [] };
      victim.stop = true;
      const samples = await victim.done;
      victim = null;
      return { type: 'victim-report', samples };
    }
    case 'subscribe':
      return subscribeAll(command);
    case 'subscriptions':
      return subscriptionsReport();
    case 'unsubscribe':
      await unsubscribeAll();
      return { type: 'unsubscribed' };
    case 'ingest':
      startIngest(command);
      return { type: 'started' };
    case 'stop-ingest': {
      if (!ingest) return { type: 'ingest-report', samples: [] };
      ingest.stop = true;
      const samples = await ingest.done;
      ingest = null;
      return { type: 'ingest-report', samples };
    }
    case 'repeat':
      return repeat(command);
    case 'flood':
      return flood(command);
    case 'auth-timing':
      return authTiming(command);
  }
}

process.on('message', ({ id, message }: Envelope<WorkerCommand>) => {
  handle(message).then(
    (answer) => reply(id, answer),
    (error: unknown) => reply(id, { type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.send!({ id: 0, message: { type: 'ready', pid: process.pid } } satisfies Envelope<WorkerReply>);
