// Every field of Query, Mutation and Subscription, called with arguments generated from the schema's own
// input types (test/helpers/hostile-arguments.ts): its own arguments and those of the fields with
// arguments below it, as variables, biased to what the database cannot hold or a decoder must refuse —
// NUL and unpaired surrogates, empty and long strings, integers past 32 and 64 bits, dates past what
// PostgreSQL or JavaScript hold, cursors forged from real ones (the right tag, wrong parts), forged global
// ids, JSON nested 100,000 deep, long lists. Whatever comes, no answer is INTERNAL_SERVER_ERROR or a 5xx,
// and the gateway logs no error: every bad input is the caller's coded error. A field added to the schema
// is fuzzed here without an edit. PARLEY_FUZZ_SEED=<n> replays a run (the failure message gives the seed).
import fc from 'fast-check';
import { GraphQLObjectType } from 'graphql';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, type CreatedKey } from '../../src/auth/keys.js';
import { SCOPES } from '../../src/auth/principal.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { schema } from '../../src/schema/index.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { chatlayerFixtures } from '../../src/vendors/chatlayer/fixtures.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { botFlowFixtures } from '../../src/vendors/genesys-bot-flow/fixtures.js';
import { journeyFixtures } from '../../src/vendors/genesys-journey/fixtures.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { type ExecutionResultLike, firstSseResults } from '../helpers/live.js';
import { Arbitraries, type Operation, operationFor, type Pools, requestBody } from '../helpers/hostile-arguments.js';

const SEED = Number(process.env.PARLEY_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Runs per field, by kind: about 20 s per project in all (subscriptions wait up to SUBSCRIPTION_WAIT_MS each). */
const RUNS = { query: 100, mutation: 30, subscription: 30 } as const;
/** How long a subscription that is accepted may take to send its first result before it counts as accepted. */
const SUBSCRIPTION_WAIT_MS = 150;

let db: TestDatabase;
let gateway: Gateway;
let server: ListeningServer;
let key: CreatedKey;
let arbitraries: Arbitraries;
const loggedErrors: unknown[] = [];

const ROOTS = [
  ['query', schema.getQueryType()],
  ['mutation', schema.getMutationType()],
  ['subscription', schema.getSubscriptionType()],
] as const;

const operations: Operation[] = ROOTS.flatMap(([kind, root]) =>
  root instanceof GraphQLObjectType ? Object.keys(root.getFields()).map((field) => operationFor(schema, kind, root, field)) : [],
);

async function post(body: string, accept: string): Promise<Response> {
  return gateway.yoga.fetch('http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${key.key}` },
    body,
  });
}

interface Reply {
  status: number;
  /** Every result received (a subscription: its first, if any came in time). */
  results: ExecutionResultLike[];
  text: string;
}

async function queryOrMutation(operation: Operation, variables: Record<string, unknown>, accept: string): Promise<Reply> {
  const response = await post(requestBody({ query: operation.text, variables }), accept);
  const text = await response.text();
  let result: Reply['results'][number];
  try {
    result = JSON.parse(text) as Reply['results'][number];
  } catch {
    result = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, results: [result], text };
}

/** The first event of an SSE response (or its error), then the stream is cancelled. */
async function overSse(operation: Operation, variables: Record<string, unknown>): Promise<Reply> {
  const response = await post(requestBody({ query: operation.text, variables }), 'text/event-stream');
  const { results, text } = await firstSseResults(response, SUBSCRIPTION_WAIT_MS);
  return { status: response.status, results, text };
}

/** The first message of a graphql-transport-ws subscription (next, error or complete), then it is completed. */
async function overWebSocket(operation: Operation, variables: Record<string, unknown>): Promise<Reply> {
  const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: { type: string; payload?: unknown }[] = [];
  let wake: () => void = () => {};
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as { type: string; payload?: unknown });
    wake();
  });
  const until = (done: () => boolean, ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        if (done()) {
          clearTimeout(timer);
          resolve();
        }
      };
      wake();
    });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key.key}` } }));
  await until(() => messages.some((m) => m.type === 'connection_ack'), 5_000);
  // Written by hand: the variables may hold JSON too deep for JSON.stringify.
  socket.send(`{"id":"1","type":"subscribe","payload":${requestBody({ query: operation.text, variables })}}`);
  await until(() => messages.some((m) => ['next', 'error', 'complete'].includes(m.type)), SUBSCRIPTION_WAIT_MS);
  const closed = new Promise((resolve) => socket.once('close', resolve));
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id: '1', type: 'complete' }));
  socket.close();
  await closed;
  const results: Reply['results'] = messages.flatMap((m) => {
    if (m.type === 'next') return [m.payload as Reply['results'][number]];
    if (m.type === 'error') return [{ errors: m.payload as NonNullable<Reply['results'][number]['errors']> }];
    return [];
  });
  return { status: 101, results, text: JSON.stringify(messages) };
}

/** Strings under these keys of any response feed the pools the arbitraries forge from. */
function harvest(value: unknown, pools: Pools, key = ''): void {
  if (Array.isArray(value)) for (const item of value) harvest(item, pools, key);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) harvest(v, pools, k);
  else if (typeof value === 'string') {
    if (key === 'id') pools.ids.push(value);
    else if (key === 'cursor' || key === 'startCursor' || key === 'endCursor') pools.cursors.push(value);
    else if (['externalId', 'botId', 'channel', 'language'].includes(key)) pools.strings.push(value);
  }
}

beforeAll(async () => {
  db = await openTestDatabase();
  key = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: [...SCOPES] });
  // A production gateway (masked errors, no introspection), without the rate limit the fuzzing would hit.
  gateway = createGateway({
    database: db,
    production: true,
    security: { rateLimit: null },
    live: { maxSubscriptions: 10_000, maxSubscriptionsPerKey: 10_000 },
    // A cancelled SSE stream ends at its next write: keep-alives every 50 ms end them promptly.
    sseKeepAliveMs: 50,
    logError: (error) => loggedErrors.push(error),
    log: () => {},
  });
  server = await listen(gateway, { port: 0, host: '127.0.0.1', keepAliveMs: 60_000 });
  // Sessions of every vendor, with transcripts and conversations, for the reads to find and the pools.
  const seeds: [string, unknown[]][] = [
    ['/ingest/einstein/sessions', einsteinFixtures],
    ['/ingest/genesys/bot-flow-sessions', botFlowFixtures],
    ['/ingest/genesys/journey-sessions', journeyFixtures],
    ['/ingest/chatlayer/sessions', chatlayerFixtures],
  ];
  for (const [path, documents] of seeds) {
    const response = await gateway.yoga.fetch(`http://parley.test${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
      body: JSON.stringify(documents),
    });
    expect(response.status).toBe(200);
  }
  const pools: Pools = { ids: [], cursors: [], strings: [] };
  // Every query with its arguments left out: the ids, cursors and names it answers are what gets forged.
  for (const operation of operations.filter((o) => o.kind === 'query')) {
    const variables = Object.fromEntries(operation.variables.map((v) => [v.name, null]));
    const reply = await queryOrMutation(operation, variables, 'application/json');
    harvest(reply.results, pools);
  }
  expect(pools.ids.length).toBeGreaterThan(10);
  expect(pools.cursors.length).toBeGreaterThan(10);
  arbitraries = new Arbitraries(schema, { ids: [...new Set(pools.ids)], cursors: [...new Set(pools.cursors)], strings: [...new Set(pools.strings)] });
  expect(loggedErrors).toEqual([]);
});
afterAll(async () => {
  await server?.close(1_000);
  await db?.close();
});

describe.each(operations.map((operation) => [`${operation.kind} ${operation.field}`, operation] as const))('%s', (_name, operation) => {
  it('answers every generated argument with a coded error or a result, and logs no error', async () => {
    const outcomes = new Map<string, number>();
    let reachedResolver = 0;
    const transports =
      operation.kind === 'subscription' ? fc.constantFrom('sse', 'ws') : fc.constantFrom('application/graphql-response+json', 'application/json');
    await fc.assert(
      fc.asyncProperty(arbitraries.variables(operation), transports, async (variables, transport) => {
        const started = Date.now();
        const reply =
          operation.kind !== 'subscription'
            ? await queryOrMutation(operation, variables, transport)
            : transport === 'sse'
              ? await overSse(operation, variables)
              : await overWebSocket(operation, variables);
        const errors = reply.results.flatMap((r) => r.errors ?? []);
        if (process.env.FUZZ_DEBUG)
          console.log(
            transport,
            Date.now() - started,
            JSON.stringify(Object.fromEntries(Object.entries(variables).filter(([, v]) => v !== null))).slice(0, 300),
            reply.text.slice(0, 200),
          );
        for (const code of errors.length === 0 ? ['(none)'] : errors.map((e) => String(e.extensions?.code ?? '(no code)'))) {
          outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
        }
        // A resolver ran: it answered data or an error at its path; a subscription is open without an error.
        const accepted = operation.kind === 'subscription' && errors.length === 0;
        if (accepted || reply.results.some((r) => (r.data ?? null) !== null) || errors.some((e) => e.path !== undefined)) reachedResolver += 1;
        const logged = loggedErrors.splice(0);
        expect(
          logged.map((error) => String(error).slice(0, 500)),
          'errors the gateway logged',
        ).toEqual([]);
        expect(reply.status, reply.text.slice(0, 500)).toBeLessThan(500);
        expect(
          errors.filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' || e.message === 'Unexpected error.' || e.extensions?.code === undefined),
          reply.text.slice(0, 500),
        ).toEqual([]);
      }),
      { numRuns: RUNS[operation.kind], seed: SEED },
    );
    console.log(
      `${operation.kind} ${operation.field}: ${RUNS[operation.kind]} runs (seed ${SEED}), ${reachedResolver} reached a resolver; codes ${JSON.stringify(Object.fromEntries(outcomes))}`,
    );
    // Not vacuous: some generated arguments got past the checks, into the field's own resolver.
    expect(reachedResolver).toBeGreaterThan(0);
    // A subscription ended after the test stopped waiting must not log either.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(loggedErrors.splice(0).map(String)).toEqual([]);
  });
});
