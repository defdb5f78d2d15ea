// The hardening, assembled for createGateway: Yoga options and plugins, in the order they must run.
// One module per concern: limits.ts (Armor: depth, aliases, tokens, directives), cost.ts, csrf.ts,
// cors.ts, introspection.ts, persisted.ts, rate-limit.ts; options.ts holds the settings and defaults.
import type { Plugin } from 'graphql-yoga';
import { costLimitPlugin } from './cost.js';
import { idsLimitPlugin } from './ids-limit.js';
import { corsOption } from './cors.js';
import { csrfPlugin } from './csrf.js';
import { disableIntrospectionPlugin } from './introspection.js';
import { queryLimitPlugins, type LimitObserver } from './limits.js';
import type { SecurityOptions } from './options.js';
import { persistedOperationsPlugin } from './persisted.js';
import { createRateLimiter, rateLimitPlugin, type RateLimiter } from './rate-limit.js';

export { resolveSecurity, securityDefaults, type SecurityOptions, type SecuritySettings } from './options.js';

/** GraphQL bodies over this are refused with 413 (ingest routes have their own, streamed, limits). */
export const MAX_GRAPHQL_BODY_BYTES = 2_000_000;

export interface Hardening {
  settings: SecurityOptions;
  rateLimiter: RateLimiter | null;
  /** Failed authentications per client address (the Authenticator counts them). */
  authFailureLimiter: RateLimiter | null;
  /** Plugins that must run right after authentication (onRequest): the rate limit. */
  afterAuth: Plugin[];
  /** Plugins for GraphQL requests: CSRF, persisted operations, document limits, cost, introspection. */
  graphql: Plugin[];
  close(): Promise<void>;
}

export interface HardeningDeps {
  graphqlEndpoint: string;
  log?: (message: string) => void;
  /** Sees every accepted operation's measures (scripts/measure-limits.ts). */
  observe?: LimitObserver;
}

export function createHardening(settings: SecurityOptions, deps: HardeningDeps): Hardening {
  const rateLimiter = settings.rateLimit ? createRateLimiter(settings.rateLimit, deps.log) : null;
  const authFailureLimiter = settings.authFailureLimit ? createRateLimiter(settings.authFailureLimit, deps.log, 'parley:authfail') : null;
  const observe = deps.observe;
  return {
    settings,
    rateLimiter,
    authFailureLimiter,
    afterAuth: rateLimiter ? [rateLimitPlugin(rateLimiter, deps.graphqlEndpoint, settings.trustProxyHops)] : [],
    graphql: [
      csrfPlugin(),
      persistedOperationsPlugin(settings.persistedOperations),
      ...queryLimitPlugins(settings.limits, observe),
      // Before the cost estimate, which would coerce (and remember) an oversized list first.
      idsLimitPlugin(),
      costLimitPlugin(settings.limits.maxCost, observe && ((cost) => observe('cost', cost))),
      ...(settings.introspection ? [] : [disableIntrospectionPlugin()]),
    ],
    close: async () => {
      await Promise.all([rateLimiter?.close(), authFailureLimiter?.close()]);
    },
  };
}

export { corsOption };
