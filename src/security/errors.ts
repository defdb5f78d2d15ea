// The codes a hardened request can be refused with, in `extensions.code` (GraphQL) or `error.code`
// (ingest routes and plain-HTTP refusals). Documented in README ("Security").
import { GraphQLError } from 'graphql';

export const SecurityCode = {
  /** The operation is nested deeper than `maxDepth`. */
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  /** More aliases than `maxAliases`. */
  MAX_ALIASES_EXCEEDED: 'MAX_ALIASES_EXCEEDED',
  /** A document of more than `maxTokens` lexical tokens (refused while parsing). */
  MAX_TOKENS_EXCEEDED: 'MAX_TOKENS_EXCEEDED',
  /** More directives than `maxDirectives`. */
  MAX_DIRECTIVES_EXCEEDED: 'MAX_DIRECTIVES_EXCEEDED',
  /** The estimated number of objects the operation may load is over `maxCost`. */
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  /** `__schema` / `__type` while introspection is off. */
  INTROSPECTION_DISABLED: 'INTROSPECTION_DISABLED',
  /** A browser-simple request (GET, form or text/plain POST) without a CSRF header. */
  CSRF_HEADER_MISSING: 'CSRF_HEADER_MISSING',
  /** A persisted-only key sent a query document instead of a persisted operation's hash. */
  PERSISTED_QUERY_ONLY: 'PERSISTED_QUERY_ONLY',
  /** A persisted operation hash that is not in the store. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Neither a query nor a persisted operation hash. */
  PERSISTED_QUERY_ID_REQUIRED: 'PERSISTED_QUERY_ID_REQUIRED',
  /** The key's (or, in development mode, the client address's) token bucket is empty: HTTP 429. */
  RATE_LIMITED: 'RATE_LIMITED',
} as const;
export type SecurityCode = (typeof SecurityCode)[keyof typeof SecurityCode];

/** A GraphQL error with a code and the HTTP status Yoga answers with when it ends the request. */
export function securityError(code: SecurityCode, message: string, status: number, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status } } });
}

/**
 * A GraphQL request error (the operation refused before it runs: a limit, an unknown persisted hash):
 * HTTP 400 under `application/graphql-response+json`, 200 under `application/json` — GraphQL over
 * HTTP's rule for both media types, as Yoga answers its own parse and validation errors.
 */
export function requestError(code: SecurityCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status: 400, spec: true } } });
}
