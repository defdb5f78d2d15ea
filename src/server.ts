// HTTP and WebSocket on one port and one path: GraphQL over HTTP and SSE through Yoga, GraphQL over
// WebSocket (the graphql-ws protocol) through Yoga's envelope, so both transports share one schema,
// one context and one set of plugins. `close()` drains: no new connections, in-flight requests finish,
// subscriptions complete cleanly, then the sockets close.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isFailure } from './auth/authenticate.js';
import { type Logger, requestContext, requestIdOf } from './log.js';
import { webSocketWriter } from './live/ws-writer.js';
import type { Principal } from './auth/principal.js';
import type { Gateway } from './gateway.js';
import { SecurityCode, securityError } from './security/errors.js';
import { resolveWebSocketOperation } from './security/persisted.js';
import { clientAddress } from './security/client-address.js';
import { rateLimitKey } from './security/rate-limit.js';

interface EnvelopedRoot {
  execute(args: ExecutionArgs): OperationResult;
  subscribe(args: ExecutionArgs): OperationResult;
}

export interface ListeningServer {
  url: string;
  port: number;
  http: Server;
  /** Drains and closes; resolves when every connection is gone (or `graceMs` has passed). */
  close(graceMs?: number): Promise<void>;
}

const tracer = trace.getTracer('parley');

export async function listen(gateway: Gateway, options: { port: number; host: string; keepAliveMs?: number; logger?: Logger }): Promise<ListeningServer> {
  const { yoga } = gateway;
  // Each request runs with its id (log lines within it carry it; the response echoes it), and ends with
  // one line: method, path without its query, status, time. Nothing of its headers or body.
  const logger = options.logger;
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const requestId = requestIdOf(request.headers['x-request-id']);
    response.setHeader('x-request-id', requestId);
    if (logger) {
      const started = performance.now();
      response.once('close', () => {
        const path = (request.url ?? '/').split('?')[0];
        logger.info({ requestId, method: request.method, path, status: response.statusCode, ms: Math.round(performance.now() - started) }, 'request');
      });
    }
    // With tracing on (src/tracing.ts) this is the request's span, parent of the GraphQL and SQL spans;
    // without it the tracer is OpenTelemetry's no-op one.
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    tracer.startActiveSpan(
      `${request.method ?? 'GET'} ${path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method ?? 'GET', 'url.path': path, 'parley.request_id': requestId } },
      (span) => {
        response.once('close', () => {
          span.setAttribute('http.response.status_code', response.statusCode);
          if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        });
        requestContext.run({ requestId }, () => void yoga(request, response));
      },
    );
  };
  const { headersTimeoutMs, requestTimeoutMs } = gateway.security.settings.timeouts;
  // Slow-loris: the headers must arrive within headersTimeoutMs and the whole request (body included)
  // within requestTimeoutMs, or Node answers 408 and closes the socket. Responses are not limited: an
  // SSE stream or an upgraded WebSocket lives on once its request has arrived.
  const http = createServer(
    {
      headersTimeout: Math.min(headersTimeoutMs, requestTimeoutMs),
      requestTimeout: requestTimeoutMs,
      // How often Node looks for requests over those limits; at most a tenth of the shorter one.
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 10))),
    },
    handle,
  );
  const limiter = gateway.security.rateLimiter;
  const persisted = gateway.security.settings.persistedOperations;
  const trustProxyHops = gateway.security.settings.trustProxyHops;
  const addressOf = (request: IncomingMessage) => {
    const forwarded = request.headers['x-forwarded-for'];
    return clientAddress(request.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(',') : forwarded, trustProxyHops);
  };
  const overLimit = async (principal: Principal | undefined, request: IncomingMessage) =>
    principal && limiter ? !(await limiter.take(rateLimitKey(principal, addressOf(request)))).allowed : false;
  const wss = new WebSocketServer({ server: http, path: yoga.graphqlEndpoint });

  const disposable = useServer(
    {
      // onSubscribe below puts Yoga's enveloped execute/subscribe in rootValue (Yoga's documented recipe).
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      // A WebSocket authenticates once, with `{ "authorization": "Bearer <key>" }` in connection_init;
      // a refused key closes the socket with 4403 before any operation runs.
      onConnect: async (ctx) => {
        const params = ctx.connectionParams as { authorization?: unknown } | undefined;
        let result: Awaited<ReturnType<typeof gateway.authenticator.authenticate>>;
        try {
          result = await gateway.authenticator.authenticate(
            typeof params?.authorization === 'string' ? params.authorization : null,
            addressOf(ctx.extra.request),
          );
        } catch {
          // The keys cannot be read now (the database is away): "try again later", never graphql-ws's
          // 4500 with the error's message as the close reason.
          ctx.extra.socket.close(1013, 'Service unavailable: retry later');
          return false;
        }
        if (isFailure(result) && result.code === 'RATE_LIMITED') {
          ctx.extra.socket.close(4429, 'Too many failed authentications');
          return false;
        }
        if (isFailure(result)) return false;
        // A connection takes a token like any request; an empty bucket closes it with 4429.
        if (await overLimit(result, ctx.extra.request)) {
          ctx.extra.socket.close(4429, 'Too many requests');
          return false;
        }
        (ctx.extra as { principal?: Principal }).principal = result;
        // The socket outlives its authentication: a key revoked meanwhile closes it, as a refused key
        // would; changed scopes or a changed personal-data rule apply to the operations sent after.
        if (result.keyId !== null) {
          const socket = ctx.extra.socket;
          const stop = gateway.access.watch(result.keyId, (current) => {
            if (current === null) socket.close(4403, 'Forbidden');
            else (ctx.extra as { principal?: Principal }).principal = current;
          });
          socket.once('close', stop);
          // Closed while it was being authenticated: its close event has passed already.
          if (socket.readyState === socket.CLOSING || socket.readyState === socket.CLOSED) stop();
        }
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const principal = (ctx.extra as { principal?: Principal }).principal;
        if (await overLimit(principal, ctx.extra.request)) {
          return [securityError(SecurityCode.RATE_LIMITED, 'too many requests for this API key; retry later', 429)];
        }
        // Persisted operations (and persisted-only keys) as on HTTP, where Yoga's plugin does it.
        const query = resolveWebSocketOperation(persisted, principal, payload);
        if (typeof query !== 'string') return [query];
        // Yoga's envelope gives parse/validate/execute with every plugin applied, as on HTTP.
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: { ...payload, query },
          auth: principal,
          // Live results are written straight to the socket as graphql-ws `next` messages (./live/writer.ts).
          liveWriter: webSocketWriter(ctx.extra.socket, id),
        });
        let document: DocumentNode;
        try {
          document = parse(query);
        } catch (error) {
          // A refused document (syntax, token limit) is an error message, not a closed socket.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const args = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}${yoga.graphqlEndpoint}`,
    port,
    http,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        // Subscriptions end first: SSE responses finish, graphql-ws sends `complete` for each.
        gateway.live.close();
        gateway.access.close();
        http.closeIdleConnections();
        await new Promise((resolve) => setTimeout(resolve, 50));
        // Closes every socket with 1001 Going Away, after the completes above were sent.
        await disposable.dispose();
        wss.close();
        // Connections that finish their last response become idle: close those as they appear.
        const sweep = setInterval(() => http.closeIdleConnections(), 50);
        const timer = setTimeout(() => http.closeAllConnections(), graceMs);
        await closed;
        clearInterval(sweep);
        clearTimeout(timer);
        await gateway.security.close();
      })();
      return closing;
    },
  };
}
