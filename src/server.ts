// HTTP and WebSocket on one port and one path: GraphQL over HTTP and SSE through Yoga, GraphQL over
// WebSocket (the graphql-ws protocol) through Yoga's envelope, so both transports share one schema,
// one context and one set of plugins. `close()` drains: no new connections, in-flight requests finish,
// subscriptions complete cleanly, then the sockets close.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { ExecutionArgs } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import { isFailure } from './auth/authenticate.js';
import type { Principal } from './auth/principal.js';
import type { Gateway } from './gateway.js';

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

export async function listen(gateway: Gateway, options: { port: number; host: string; keepAliveMs?: number }): Promise<ListeningServer> {
  const { yoga } = gateway;
  const http = createServer(yoga);
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
        const result = await gateway.authenticator.authenticate(typeof params?.authorization === 'string' ? params.authorization : null);
        if (isFailure(result)) return false;
        (ctx.extra as { principal?: Principal }).principal = result;
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Yoga's envelope gives parse/validate/execute with every plugin applied, as on HTTP.
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          auth: (ctx.extra as { principal?: Principal }).principal,
        });
        const args = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
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
      })();
      return closing;
    },
  };
}
