// A tenant's queries and mutations in flight on this process are bounded by their estimated cost
// (../security/cost.ts, the same estimate the cost limit checks): past TENANT_QUERY_COST_IN_FLIGHT an
// operation waits its turn in its tenant's queue (./tenant-work.ts) before it executes, and past that
// queue's bounds it is refused with RATE_LIMITED (HTTP 429, Retry-After). Another tenant's operations
// never wait in it. Subscriptions are bounded per event instead (../live/shared-execution.ts).
import type { Plugin } from 'graphql-yoga';
import { rememberedOperationCost } from './cost.js';
import { SecurityCode } from './errors.js';
import { TenantBusyError, type TenantWork } from './tenant-work.js';
import { GraphQLError } from 'graphql';

/** The error of work refused for its tenant's share (429 with Retry-After where it ends the request). */
export function tenantBusyError(error: TenantBusyError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      code: SecurityCode.RATE_LIMITED,
      retryAfterSeconds: error.retryAfterSeconds,
      http: { status: 429, headers: { 'retry-after': String(error.retryAfterSeconds) } },
    },
  });
}

/**
 * Put it after every plugin that replaces the execute function (graphql-jit): it wraps the one it finds,
 * so the tenant's share is given back however execution ends, a throw included.
 */
export function tenantSharePlugin(queries: TenantWork): Plugin {
  return {
    async onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      const tenantId = (args.contextValue as { auth?: { tenantId?: string } }).auth?.tenantId;
      if (tenantId === undefined) return;
      const cost = rememberedOperationCost({
        schema: args.schema,
        document: args.document,
        operationName: args.operationName ?? null,
        variables: args.variableValues ?? null,
      });
      let leave: () => void;
      try {
        leave = await queries.enter(tenantId, cost);
      } catch (error) {
        if (!(error instanceof TenantBusyError)) throw error;
        setResultAndStopExecution({ errors: [tenantBusyError(error)] });
        return;
      }
      setExecuteFn(async (executionArgs) => {
        try {
          return await executeFn(executionArgs);
        } finally {
          leave();
        }
      });
    },
  };
}
