// Execute once, write many. graphql-js executes a subscription's selection for every subscriber and
// every event: with a thousand subscribers of the same dashboard, a thousand identical executions per
// event (most of the gateway's CPU in the fan-out benchmark). Here subscribers whose results must be
// equal share one execution per event, and so one result object, which the SSE writer serialises
// once (./sse.ts).
//
// Equal results: the same document and operation, the same variables, the same tenant, and the same
// access — the key's scopes and the tenant's personal-data rule, read per event, since an open
// subscription's access can change (../auth/access-watch.ts). Each shared execution runs on a fresh
// copy of the first subscriber's context (fresh DataLoaders and scope cache: nothing of an earlier
// event, or another subscriber, leaks in). The event's outbox id goes into the result's
// `extensions.eventId` (SSE also writes it as `id:`, for Last-Event-ID).
import { createSourceEventStream, type DocumentNode, type ExecutionArgs, type ExecutionResult, execute } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/principal.js';
import { createRequestLoaders } from '../loaders/index.js';
import type { Context } from '../schema/context.js';
import type { LiveUpdate } from './hub.js';

/** Results kept per group: a subscriber that lags behind the others by more re-executes (correctly, just once more). */
const RECENT_EVENTS = 16;
/** Groups remembered at most; the least recently used go first. */
const MAX_GROUPS = 50_000;

type Result = ExecutionResult<Record<string, unknown>, Record<string, unknown>>;

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 1;
function documentId(document: DocumentNode): number {
  let id = documentIds.get(document);
  if (id === undefined) {
    id = nextDocumentId++;
    documentIds.set(document, id);
  }
  return id;
}

const accessKeys = new WeakMap<Principal, string>();
/** What of a principal changes a result: its tenant, scopes and the tenant's personal-data rule. */
function accessKey(principal: Principal): string {
  let key = accessKeys.get(principal);
  if (key === undefined) {
    key = `${principal.tenantId}|${[...principal.scopes].sort().join(',')}|${principal.messageTextIsPii ? 'pii-text' : ''}`;
    accessKeys.set(principal, key);
  }
  return key;
}

/** One gateway's shared executions: group key → the results of its most recent events. */
export class SharedExecutions {
  private readonly groups = new Map<string, Map<bigint, Promise<Result>>>();
  executions = 0;

  /** The group of subscribers of this operation with this access: its recent results. */
  group(operationKey: string, principal: Principal): Map<bigint, Promise<Result>> {
    const groupKey = `${operationKey}\u0000${accessKey(principal)}`;
    let results = this.groups.get(groupKey);
    if (results) {
      // Most recently used last: the Map's order is the eviction order.
      this.groups.delete(groupKey);
      this.groups.set(groupKey, results);
    } else {
      results = new Map();
      this.groups.set(groupKey, results);
      if (this.groups.size > MAX_GROUPS) this.groups.delete(this.groups.keys().next().value!);
    }
    return results;
  }

  /** The result of `update` for a subscriber of `results`' group: executed once per group and event. */
  resultFor(args: ExecutionArgs, results: Map<bigint, Promise<Result>>, update: LiveUpdate): Promise<Result> {
    const context = args.contextValue as Context;
    let result = results.get(update.eventId);
    if (result === undefined) {
      result = this.execute(args, context, update);
      results.set(update.eventId, result);
      if (results.size > RECENT_EVENTS) results.delete(results.keys().next().value!);
    }
    return result;
  }

  private async execute(args: ExecutionArgs, context: Context, update: LiveUpdate): Promise<Result> {
    this.executions += 1;
    const fresh: Context = { ...context, loaders: createRequestLoaders(context.prisma) };
    const result = (await execute({ ...args, rootValue: update, contextValue: fresh })) as Result;
    return { ...result, extensions: { ...result.extensions, eventId: String(update.eventId) } };
  }
}

/** `source`, each event mapped to its shared result; ending either ends the other. */
function mapped(source: AsyncIterable<unknown>, map: (update: LiveUpdate) => Promise<Result>): AsyncIterableIterator<Result> {
  const iterator = source[Symbol.asyncIterator]();
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const next = await iterator.next();
      if (next.done) return { done: true, value: undefined };
      return { done: false, value: await map(next.value as LiveUpdate) };
    },
    async return() {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await iterator.return?.();
      throw error;
    },
  };
}

/** Replaces graphql-js's per-subscriber execution of subscription events with the shared one. */
export function sharedExecutionPlugin(shared: SharedExecutions): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args);
        if (!isAsyncIterable(source)) return source as ExecutionResult;
        const operationKey = `${documentId(args.document)}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
        // The group is looked up again only when the subscriber's access changes (a new principal).
        let principal: Principal | undefined;
        let results: Map<bigint, Promise<Result>> | undefined;
        return mapped(source, (update) => {
          const current = (args.contextValue as Context).auth;
          if (current !== principal || results === undefined) {
            principal = current;
            results = shared.group(operationKey, current);
          }
          return shared.resultFor(args, results, update);
        });
      });
    },
  };
}
