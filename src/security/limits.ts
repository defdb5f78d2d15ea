// Static limits on the operation document, with GraphQL Armor's plugins: depth, aliases, tokens and
// directives. Each refusal is a coded error, answered with HTTP 400 before anything executes. The
// cost limit needs the variables (page sizes are usually `$first`), so it lives in cost.ts.
//
// Measured as Armor counts (scripts/measure-limits.ts for README's operations and GraphiQL's
// introspection query; the test suites through createGateway's `observeLimits`):
//   depth      README at most 7 (the dashboard: sessions → edges → node → messages → edges → node →
//              field); tests at most 12 (… messages → edges → node → turn → knowledge → feedback →
//              documents → field, inside an inline fragment); introspection is exempt. Limit 15.
//   aliases    README 0, tests at most 1. Limit 15 (Armor's default): room for side-by-side
//              comparisons, while an alias flood (hundreds of copies of one field) is refused.
//              Every alias counts, `__typename` too (Armor exempts it by default).
//   tokens     README at most 78, tests at most 219, GraphiQL's introspection query 163. Limit 1,000
//              (Armor's default): documents are written by hand; bulk data belongs in variables (not
//              counted) or on the ingest routes.
//   directives README and tests 0. Limit 10: an @include/@skip per optional part of a form.
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { SecurityCode, securityError } from './errors.js';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** See cost.ts: the estimated number of objects an operation may load. */
  maxCost: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 15, maxAliases: 15, maxTokens: 1_000, maxDirectives: 10, maxCost: 25_000 };

/** Called with each accepted document's measure; scripts/measure-limits.ts uses it. */
export type LimitObserver = (limit: 'depth' | 'aliases' | 'tokens' | 'directives' | 'cost', value: number) => void;

// Armor reports a refusal as "Syntax Error: <message>" without a code. We keep its measuring and
// replace the error: `propagateOnRejection: false` plus an onReject that reports (validation rules) or
// throws (the token-counting parser) our coded one.
function rejectWith(code: SecurityCode, what: string, max: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+)/.exec(error.message)?.[1];
    const coded = securityError(code, `${what} limit of ${max} exceeded${found ? ` (found ${found})` : ''}.`, 400, { limit: max });
    if (context) context.reportError(coded);
    else throw coded;
  };
}

export function queryLimitPlugins(limits: QueryLimits, observe?: LimitObserver): Plugin[] {
  const accept = (limit: 'depth' | 'aliases' | 'tokens' | 'directives') => (observe ? [(_: unknown, details: { n: number }) => observe(limit, details.n)] : []);
  const common = { exposeLimits: true, propagateOnRejection: false } as const;
  return [
    maxTokensPlugin({
      ...common,
      n: limits.maxTokens,
      onReject: [rejectWith(SecurityCode.MAX_TOKENS_EXCEEDED, 'Token', limits.maxTokens)],
      onAccept: accept('tokens'),
    }),
    maxDepthPlugin({
      ...common,
      n: limits.maxDepth,
      onReject: [rejectWith(SecurityCode.MAX_DEPTH_EXCEEDED, 'Query depth', limits.maxDepth)],
      onAccept: accept('depth'),
    }),
    maxAliasesPlugin({
      ...common,
      allowList: [],
      n: limits.maxAliases,
      onReject: [rejectWith(SecurityCode.MAX_ALIASES_EXCEEDED, 'Alias', limits.maxAliases)],
      onAccept: accept('aliases'),
    }),
    maxDirectivesPlugin({
      ...common,
      n: limits.maxDirectives,
      onReject: [rejectWith(SecurityCode.MAX_DIRECTIVES_EXCEEDED, 'Directive', limits.maxDirectives)],
      onAccept: accept('directives'),
    }),
  ] as Plugin[];
}
