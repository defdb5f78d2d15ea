// OpenTelemetry traces, with an in-memory exporter in place of OTLP: one GraphQL request over a real port
// is one trace — the HTTP request's span, the execution's under it, a resolver's, and Prisma's SQL spans —
// and no span carries the query's variables, nor an error message that quotes them.
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/gateway.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { graphqlTracingPlugin, startTracing, type Tracing } from '../../src/tracing.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let db: TestDatabase;
let server: ListeningServer;

beforeAll(async () => {
  tracing = startTracing(new SimpleSpanProcessor(exporter));
  db = await openTestDatabase();
  const gateway = createGateway({ database: db, tracingPlugin: graphqlTracingPlugin() });
  server = await listen(gateway, { port: 0, host: '127.0.0.1', keepAliveMs: 1000 });
});
afterAll(async () => {
  await server.close();
  await db.close();
  await tracing.shutdown();
});

describe('traces', () => {
  it('follow a request from HTTP through GraphQL and its resolvers to SQL, without variables', async () => {
    exporter.reset();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'traced-request' },
      body: JSON.stringify({
        query: 'query Traced($f: SessionFilter) { sessions(first: 2, filter: $f) { totalCount } }',
        variables: { f: { botIds: ['private-bot-name'] } },
        operationName: 'Traced',
      }),
    });
    expect(response.status).toBe(200);
    await expect.poll(() => exporter.getFinishedSpans().some((s) => s.name === 'POST /graphql')).toBe(true);
    const spans = exporter.getFinishedSpans();
    const http = spans.find((s) => s.name === 'POST /graphql')!;
    expect(http.attributes).toMatchObject({ 'http.response.status_code': 200, 'parley.request_id': 'traced-request' });
    const trace = spans.filter((s) => s.spanContext().traceId === http.spanContext().traceId);
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
    const execution = trace.find((s) => s.name === 'query.Traced' && parentOf(s) === http.spanContext().spanId);
    expect(execution, trace.map((s) => s.name).join(', ')).toBeDefined();
    expect(trace.some((s) => s.name.includes('Query.sessions'))).toBe(true);
    expect(trace.some((s) => s.name.startsWith('prisma:'))).toBe(true);
    expect(JSON.stringify(trace.map((s) => s.attributes))).not.toContain('private-bot-name');
  });

  it('say an execution failed without quoting what the client sent', async () => {
    exporter.reset();
    // The cursor is the client's text: its error message quotes it; the spans must not.
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query Failing($after: String) { sessions(first: 1, after: $after) { totalCount } }',
        variables: { after: 'Sanne-private-cursor' },
      }),
    });
    const body = (await response.json()) as { errors?: { message: string }[] };
    expect(body.errors?.[0]?.message).toContain('Sanne-private-cursor');
    await expect.poll(() => exporter.getFinishedSpans().some((s) => s.name === 'query.Failing')).toBe(true);
    const spans = exporter.getFinishedSpans();
    expect(spans.find((s) => s.name === 'query.Failing')!.status).toMatchObject({ code: 2, message: '1 error(s)' });
    expect(JSON.stringify(spans.map((s) => ({ attributes: s.attributes, events: s.events, status: s.status })))).not.toContain('Sanne-private-cursor');
  });
});
