// Every request is authenticated before anything else runs (GraphQL, SSE, ingest); every operation is
// checked against the key's scopes before it executes. WebSocket connections authenticate once, in
// `connection_init` (see server.ts).
import { GraphQLError, Kind, OperationTypeNode, type DefinitionNode, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { classifyDatabaseError, RETRY_AFTER_SECONDS } from '../db/faults.js';
import { Authenticator, isFailure } from './authenticate.js';
import type { Principal, Scope } from './principal.js';

const principals = new WeakMap<Request, Principal>();

/** The principal the auth plugin established for this HTTP request. */
export function principalOf(request: Request): Principal | undefined {
  return principals.get(request);
}

const SCOPE_FOR_OPERATION: Record<OperationTypeNode, Scope> = {
  [OperationTypeNode.QUERY]: 'read',
  [OperationTypeNode.SUBSCRIPTION]: 'read',
  [OperationTypeNode.MUTATION]: 'ingest',
};

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

/** A 403 error if `principal` lacks the scope this operation needs, else null. */
export function scopeError(principal: Principal, operation: OperationTypeNode): GraphQLError | null {
  const needed = SCOPE_FOR_OPERATION[operation];
  return principal.scopes.has(needed) ? null : forbidden(`this API key lacks the \`${needed}\` scope needed for a ${operation}`);
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

export function authPlugin(authenticator: Authenticator, graphqlEndpoint: string): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      // The health check and the GraphiQL page carry no data; what GraphiQL then sends is checked.
      if (url.pathname === '/health') return;
      if (request.method === 'GET' && url.pathname === graphqlEndpoint && (request.headers.get('accept') ?? '').includes('text/html')) return;
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
    onExecute({ args, setResultAndStopExecution }) {
      const principal = (args.contextValue as { auth?: Principal }).auth;
      const operations = args.document.definitions.filter((d: DefinitionNode): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      const operation = args.operationName ? operations.find((o: OperationDefinitionNode) => o.name?.value === args.operationName) : operations[0];
      if (!principal || !operation) return;
      const error = scopeError(principal, operation.operation);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const principal = (args.contextValue as { auth?: Principal }).auth;
      if (!principal) return;
      const error = scopeError(principal, OperationTypeNode.SUBSCRIPTION);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
