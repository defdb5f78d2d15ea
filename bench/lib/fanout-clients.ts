// The fan-out benchmark's subscribers, in a process of their own (bench/suites/fanout.ts forks it with
// `node --import tsx`), so their CPU is not the gateway's. Raw protocol clients, light enough for
// 10,000: GraphQL over SSE as a plain HTTP POST with `accept: text/event-stream` whose stream is cut
// into events and each `next` event's JSON parsed, and `ws` sockets speaking graphql-transport-ws
// (connection_init, subscribe, next) whose every message is parsed. A delivery is recorded when its
// bytes reach the client (the socket's data callback), as a wall-clock time comparable across the two
// processes (performance.timeOrigin + performance.now(); the parent measures the offset between the
// two clocks over IPC).
import { request } from 'node:http';
import WebSocket from 'ws';
import type { ClientCommand, ClientReply, ConnectCommand, DeliveryReport } from './fanout-protocol.js';

export const wallNow = (): number => performance.timeOrigin + performance.now();

interface Subscriber {
  transport: 'sse' | 'ws';
  received: number;
  duplicates: number;
  unknown: number;
  errors: string[];
  ended: boolean;
  close(): void;
}

const subscribers: Subscriber[] = [];
/** recv[event * n + subscriber]: when subscriber received event (NaN: not yet). */
let recv = new Float64Array(0);
let eventCount = 0;
let n = 0;
let filters = 0;
let eventFilters: number[] | null = null;
/** Whether subscriber i should receive event k (with filters: only its bot's events). */
const wanted = (event: number, index: number) => eventFilters === null || filters === 0 || eventFilters[event] === index % filters;
const variablesOf = (index: number) => (filters === 0 ? undefined : { bots: [`fanout-bench-${String(index % filters)}`] });
let lastDeliveryAt = 0;
const TEXT = /^fanout #(\d+)\b/;

function send(reply: ClientReply): void {
  process.send!(reply);
}

/** One parsed `next` payload: `{ data: { sessionUpdated: { kind, session { externalId }, message { text } } } }`. */
function record(index: number, payload: unknown, at: number): void {
  const subscriber = subscribers[index]!;
  const update = (payload as { data?: { sessionUpdated?: { message?: { text?: string } | null } } } | null)?.data?.sessionUpdated;
  const match = TEXT.exec(update?.message?.text ?? '');
  const errors = (payload as { errors?: unknown } | null)?.errors;
  if (errors) subscriber.errors.push(JSON.stringify(errors).slice(0, 300));
  if (!match) {
    subscriber.unknown++;
    return;
  }
  const event = Number(match[1]);
  if (event >= eventCount || !wanted(event, index)) {
    subscriber.unknown++;
    return;
  }
  const slot = event * n + index;
  if (!Number.isNaN(recv[slot]!)) {
    subscriber.duplicates++;
    return;
  }
  recv[slot] = at;
  subscriber.received++;
  lastDeliveryAt = at;
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(error);
}

/** POST { query } with accept: text/event-stream; resolves once the response headers (and Yoga's first ping) arrived. */
function openSse(index: number, url: string, query: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query, variables: variablesOf(index) });
    const subscriber: Subscriber = { transport: 'sse', received: 0, duplicates: 0, unknown: 0, errors: [], ended: false, close: () => req.destroy() };
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(body) },
    });
    req.on('error', (error) => {
      if (!subscriber.ended) subscriber.errors.push(describe(error));
      subscriber.ended = true;
      reject(error);
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/event-stream')) {
        reject(new Error(`SSE: status ${String(res.statusCode)}, content-type ${String(res.headers['content-type'])}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const at = wallNow();
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(line.startsWith('data: ') ? 6 : 5);
          }
          if (event === 'next') record(index, JSON.parse(data), at);
          else if (event === 'complete') subscriber.ended = true;
          // `:` lines are Yoga's keep-alive pings: no event.
        }
      });
      res.on('end', () => (subscriber.ended = true));
      res.on('error', (error) => subscriber.errors.push(describe(error)));
      resolve(subscriber);
    });
    req.end(body);
  });
}

/** graphql-transport-ws: connection_init, wait for connection_ack, subscribe; resolves once subscribe was sent. */
function openWs(index: number, url: string, query: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { perMessageDeflate: false });
    const subscriber: Subscriber = { transport: 'ws', received: 0, duplicates: 0, unknown: 0, errors: [], ended: false, close: () => socket.terminate() };
    let acknowledged = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (raw: Buffer) => {
      const at = wallNow();
      const message = JSON.parse(raw.toString('utf8')) as { type: string; id?: string; payload?: unknown };
      switch (message.type) {
        case 'connection_ack':
          acknowledged = true;
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: variablesOf(index) } }));
          resolve(subscriber);
          break;
        case 'next':
          record(index, message.payload, at);
          break;
        case 'error':
          subscriber.errors.push(JSON.stringify(message.payload).slice(0, 300));
          break;
        case 'complete':
          subscriber.ended = true;
          break;
        case 'ping':
          socket.send(JSON.stringify({ type: 'pong' }));
          break;
      }
    });
    socket.on('error', (error) => {
      subscriber.errors.push(describe(error));
      if (!acknowledged) reject(error);
    });
    socket.on('close', (code, reason) => {
      if (!subscriber.ended && code !== 1000) subscriber.errors.push(`closed ${String(code)} ${reason.toString()}`);
      subscriber.ended = true;
      if (!acknowledged) reject(new Error(`WebSocket closed before connection_ack (${String(code)})`));
    });
  });
}

async function connect(command: ConnectCommand): Promise<void> {
  n = command.sse + command.ws;
  filters = command.filters;
  const started = wallNow();
  const failures: string[] = [];
  let next = 0;
  // A bounded number of connection attempts in flight: the server's accept backlog is finite.
  const worker = async () => {
    while (next < n && failures.length === 0) {
      const index = next++;
      // Interleaved (SSE, WebSocket, SSE, ...) while both remain, then whichever has more.
      const paired = 2 * Math.min(command.sse, command.ws);
      const open = index < paired ? (index % 2 === 0 ? openSse : openWs) : command.sse > command.ws ? openSse : openWs;
      try {
        subscribers[index] = await open(index, command.url, command.query);
      } catch (error) {
        failures.push(`subscriber ${String(index)} (${open === openSse ? 'SSE' : 'WebSocket'}): ${describe(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(command.concurrency, n) }, worker));
  send({
    type: 'connected',
    sse: subscribers.filter((s) => s?.transport === 'sse').length,
    ws: subscribers.filter((s) => s?.transport === 'ws').length,
    ms: wallNow() - started,
    failures: failures.slice(0, 10),
    emfile: failures.some((f) => f.includes('EMFILE')),
  });
}

function expectEvents(count: number, filtersOfEvents: number[] | null): void {
  eventCount = count;
  eventFilters = filtersOfEvents;
  recv = new Float64Array(count * n).fill(Number.NaN);
}

function received(): number {
  let total = 0;
  for (const s of subscribers) total += s?.received ?? 0;
  return total;
}

type Summary = DeliveryReport['latency'][string];

function summarise(values: Float64Array, count: number): Summary {
  const sorted = values.subarray(0, count).sort();
  const at = (q: number) => (count === 0 ? null : sorted[Math.min(count - 1, Math.ceil(q * count) - 1)]!);
  return { count, min: count === 0 ? null : sorted[0]!, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: count === 0 ? null : sorted[count - 1]! };
}

/**
 * Latencies (receipt − reference, ms, in the parent's clock) of everything received, per reference
 * time (`commit`, and the ingest request's send and reply times as bounds); per transport for the
 * first reference; and who missed what.
 */
function report(references: Record<string, (number | null)[]>, offsetMs: number): DeliveryReport {
  const latency: DeliveryReport['latency'] = {};
  const names = Object.keys(references);
  const buffer = new Float64Array(eventCount * n);
  const perTransport = { sse: new Float64Array(eventCount * n), ws: new Float64Array(eventCount * n) };
  let missed = 0;
  const missing = new Set<number>();
  for (const [r, name] of names.entries()) {
    let count = 0;
    const transportCount = { sse: 0, ws: 0 };
    for (let event = 0; event < eventCount; event++) {
      const reference = references[name]![event];
      for (let i = 0; i < n; i++) {
        if (!wanted(event, i)) continue;
        const at = recv[event * n + i]!;
        if (Number.isNaN(at)) {
          if (r === 0) {
            missed++;
            missing.add(i);
          }
          continue;
        }
        if (reference === null || reference === undefined) continue;
        // The child's clock minus the offset is the parent's clock.
        const ms = at - offsetMs - reference;
        buffer[count++] = ms;
        if (r === 0) {
          const transport = subscribers[i]!.transport;
          perTransport[transport][transportCount[transport]++] = ms;
        }
      }
    }
    latency[name] = summarise(buffer, count);
    if (r === 0) {
      latency[`${name} (SSE)`] = summarise(perTransport.sse, transportCount.sse);
      latency[`${name} (WebSocket)`] = summarise(perTransport.ws, transportCount.ws);
    }
  }
  const errors = subscribers.flatMap((s) => s?.errors ?? []);
  return {
    type: 'report',
    received: received(),
    missed,
    subscribersMissing: missing.size,
    duplicates: subscribers.reduce((t, s) => t + (s?.duplicates ?? 0), 0),
    unknown: subscribers.reduce((t, s) => t + (s?.unknown ?? 0), 0),
    ended: subscribers.filter((s) => s?.ended).length,
    errors: errors.length,
    firstErrors: errors.slice(0, 5),
    latency,
    cpu: process.cpuUsage(),
    rssBytes: process.memoryUsage().rss,
  };
}

process.on('message', (command: ClientCommand) => {
  switch (command.type) {
    case 'connect':
      connect(command).catch((error: unknown) => send({ type: 'failed', error: describe(error) }));
      break;
    case 'clock':
      send({ type: 'clock', parentAt: command.at, childAt: wallNow() });
      break;
    case 'expect':
      expectEvents(command.events, command.eventFilters);
      send({ type: 'expecting' });
      break;
    case 'progress':
      send({ type: 'progress', received: received(), lastDeliveryAt, cpu: process.cpuUsage() });
      break;
    case 'report':
      send(report(command.references, command.offsetMs));
      break;
    case 'close':
      for (const s of subscribers) s?.close();
      send({ type: 'closed' });
      break;
  }
});
send({ type: 'ready', pid: process.pid });
