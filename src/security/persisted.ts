// Persisted operations: a store of allowed documents by the SHA-256 (hex) of their text, sent as
// `extensions: { persistedQuery: { version: 1, sha256Hash } }` (Apollo's convention). A key created
// with `--persisted-only` may run nothing else; other keys may send either. Over HTTP and SSE Yoga's
// plugin does the work; graphql-ws operations go through `resolveWebSocketOperation` (server.ts).
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { principalOf } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import { requestError, SecurityCode, securityError } from './errors.js';
import type { PersistedOperations } from './persisted-store.js';

export { loadPersistedOperations, operationHash, type PersistedOperations } from './persisted-store.js';

const persistedOnly = () =>
  securityError(
    SecurityCode.PERSISTED_QUERY_ONLY,
    'this API key may only run persisted operations: send `extensions.persistedQuery.sha256Hash` instead of a query',
    403,
  );
const notFound = () => requestError(SecurityCode.PERSISTED_QUERY_NOT_FOUND, 'no persisted operation has this hash');
const idRequired = () =>
  requestError(SecurityCode.PERSISTED_QUERY_ID_REQUIRED, 'send a query, or a persisted operation as `extensions.persistedQuery.sha256Hash`');

export function persistedOperationsPlugin(store: PersistedOperations): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (hash) => store.get(hash) ?? null,
    allowArbitraryOperations: (request) => !(principalOf(request)?.persistedOnly ?? false),
    customErrors: { persistedQueryOnly: persistedOnly, notFound, keyNotFound: idRequired },
  }) as Plugin;
}

interface WebSocketPayload {
  query?: string | null;
  extensions?: Record<string, unknown> | null;
}

/** The document a graphql-ws `subscribe` message runs, or the coded error that refuses it. */
export function resolveWebSocketOperation(store: PersistedOperations, principal: Principal | undefined, payload: WebSocketPayload): string | GraphQLError {
  const persisted = payload.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  if (typeof persisted?.sha256Hash === 'string' && !payload.query) return store.get(persisted.sha256Hash) ?? notFound();
  if (principal?.persistedOnly) return persistedOnly();
  if (!payload.query) return idRequired();
  return payload.query;
}
