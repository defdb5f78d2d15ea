// Every request is authenticated before anything else runs (GraphQL, SSE, ingest). What the key's
// scopes then allow is written on the schema's fields and root types (src/schema/auth-scopes.ts).
// WebSocket connections authenticate once, in `connection_init` (see server.ts).
import type { Plugin } from 'graphql-yoga';
import { classifyDatabaseError, RETRY_AFTER_SECONDS } from '../db/faults.js';
import { type Authenticator, isFailure } from './authenticate.js';
import type { Principal } from './principal.js';

const principals = new WeakMap<Request, Principal>();

/** The principal the auth plugin established for this HTTP request. */
export function principalOf(request: Request): Principal | undefined {
  return principals.get(request);
}

function unauthenticated(graphql: boolean, message: string): Response {
  const body = graphql ? { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] } : { error: { code: 'UNAUTHENTICATED', message } };
  return new Response(JSON.stringify(body), {
    status: 401,
    headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer realm="parley"' },
  });
}

function unavailable(graphql: boolean): Response {
  const message = 'the database is unavailable; retry later';
  const extensions = { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: RETRY_AFTER_SECONDS };
  const body = graphql ? { errors: [{ message, extensions }] } : { error: { ...extensions, message } };
  return new Response(JSON.stringify(body), {
    status: 503,
    headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(RETRY_AFTER_SECONDS) },
  });
}

export function authPlugin(authenticator: Authenticator, graphqlEndpoint: string, options: { graphiql: boolean }): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      // The health check and the GraphiQL page carry no data; what GraphiQL then sends is checked.
      // Without GraphiQL a browser's GET is a GraphQL request like any other, and needs a key.
      if (url.pathname === '/health') return;
      if (options.graphiql && request.method === 'GET' && url.pathname === graphqlEndpoint && (request.headers.get('accept') ?? '').includes('text/html'))
        return;
      let result: Awaited<ReturnType<Authenticator['authenticate']>>;
      try {
        result = await authenticator.authenticate(request.headers.get('authorization'));
      } catch (error) {
        // Keys live in the database: while it is unreachable, no request can be authenticated, and the
        // caller is told to come back rather than that its key is wrong.
        if (classifyDatabaseError(error) !== 'unavailable') throw error;
        endResponse(unavailable(url.pathname === graphqlEndpoint));
        return;
      }
      if (isFailure(result)) {
        endResponse(unauthenticated(url.pathname === graphqlEndpoint, result.message));
        return;
      }
      principals.set(request, result);
    },
  };
}
