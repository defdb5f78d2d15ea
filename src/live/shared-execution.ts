// Execute once, write many. graphql-js executes a subscription's selection for every subscriber and
// every event: with a thousand subscribers of the same dashboard, a thousand identical executions per
// event (most of the gateway's CPU in the fan-out benchmark). Here subscribers whose results must be
// equal share one execution per event, and so one result object, which the SSE writer serialises
// once (./sse.ts).
//
// Equal results: the same document and operation, the same values of the variables the execution reads
// (those used only in the root field's arguments — filter, since, sessionId — choose the events, not the
// result), the same tenant, and the same access — the key's scopes and the tenant's personal-data rule,
// read per event, since an open subscription's access can change (../auth/access-watch.ts). Each shared
// execution runs on a fresh copy of the first subscriber's context (fresh DataLoaders and scope cache:
// nothing of an earlier event, or another subscriber, leaks in). A group lives while it has
// subscribers. The event's outbox id goes into the result's `extensions.eventId` (SSE also writes it as
// `id:`, for Last-Event-ID).
//
// Write many: when the transport put a writer in the context (./writer.ts: each WebSocket operation,
// each SSE stream), the subscription is piped — the hub hands each update over synchronously, and each
// shared result is written straight to the sockets of the subscribers waiting for it, in their order.
// The iterator the transport holds then only ends (complete, or the error that ended it). Without a
// writer (another transport) results go through the iterator, as graphql-js would hand them over.
import {
  createSourceEventStream,
  type GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  Kind,
  type OperationDefinitionNode,
  visit,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/principal.js';
import { createRequestLoaders } from '../loaders/index.js';
import type { Context } from '../schema/context.js';
import { type LiveStream, type LiveUpdate, SlowConsumerError } from './hub.js';
import { rememberedOperationCost } from '../security/cost.js';
import { requestError, SecurityCode } from '../security/errors.js';
import type { TenantWork } from '../security/tenant-work.js';
import { type LiveResult, type LiveWriter, liveWriterOf } from './writer.js';

/** A new distinct subscription that would take its tenant past its live budget (TENANT_LIVE_COST). */
export class CostBudgetError extends Error {
  override name = 'CostBudgetError';
  constructor(
    readonly cost: number,
    readonly used: number,
    readonly budget: number,
  ) {
    super(
      `this subscription's selection costs ${Math.ceil(cost)} per event, and this tenant's other live subscriptions already cost ${Math.ceil(used)} of the ${budget} per event its share allows on this gateway process; select less, or subscribe with the same query as an open one (equal subscriptions share one execution)`,
    );
  }
}

/** How often a piped subscriber reading back missed events looks whether its client has caught up. */
const READY_POLL_MS = 10;

/** Results kept per group: a subscriber that lags behind the others by more re-executes (correctly, just once more). */
const RECENT_EVENTS = 16;

type Result = LiveResult;

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

/**
 * The variables an event's execution reads: every variable of the operation but those used only in its
 * root fields' arguments (`filter`, `since`, `sessionId` choose the events, not what a result holds), so
 * subscribers that differ only there share executions. Per document and operation, computed once.
 */
const executionVariableNames = new WeakMap<DocumentNode, Map<string, readonly string[]>>();
function executionVariables(document: DocumentNode, operationName: string | null | undefined): readonly string[] {
  let byOperation = executionVariableNames.get(document);
  if (!byOperation) {
    byOperation = new Map();
    executionVariableNames.set(document, byOperation);
  }
  const known = byOperation.get(operationName ?? '');
  if (known) return known;
  const names = new Set<string>();
  const collect = (node: Parameters<typeof visit>[0]) => void visit(node, { Variable: (variable) => void names.add(variable.name.value) });
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) collect(definition);
  for (const directive of operation?.directives ?? []) collect(directive);
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== Kind.FIELD)
      collect(selection); // a root fragment: everything in it counts
    else {
      for (const directive of selection.directives ?? []) collect(directive);
      if (selection.selectionSet) collect(selection.selectionSet);
    }
  }
  const sorted = [...names].sort();
  byOperation.set(operationName ?? '', sorted);
  return sorted;
}

/** One event's result for one group: executed once, read by every subscriber of the group. */
interface SharedResult {
  promise: Promise<Result>;
  settled: boolean;
  value?: Result;
  /** The result as clients receive it (unexpected errors masked), made on first use. */
  masked?: Result;
  failure?: Error;
  /** Its delivery latency has been reported (/metrics). */
  observed?: boolean;
  /** Piped subscribers whose next result this is, waiting for it. */
  waiting: PipedSubscriber[] | null;
  /** Subscribers that still mean to deliver it: none left by its turn, it is not executed. */
  holders: number;
}

/** The subscribers of one operation with one access, and the results of their most recent events. */
interface Group {
  key: string;
  tenantId: string;
  /** The access every subscriber of the group has: what its executions run as, whatever a subscriber's context holds since. */
  principal: Principal;
  /** What one event's execution of it may load (the cost limit's estimate): counted once against its tenant's live budget. */
  cost: number;
  results: Map<bigint, SharedResult>;
  subscribers: number;
}

export interface SharedExecutionOptions {
  /** How an unexpected error reaches a client (Yoga's masking): piped results do not pass through Yoga's. */
  maskError?: (error: GraphQLError) => GraphQLError;
  /** Results a piped subscriber may have waiting (in its socket, or for an execution) before it is dropped. */
  maxQueuedPerSubscriber?: number;
  /** Each tenant's executions running at once (../security/tenant-work.ts); unbounded when not given. */
  work?: TenantWork;
  /** Per-event cost of a tenant's distinct subscriptions together; past it a new distinct one is refused. */
  liveCostPerTenant?: number;
}

/** One gateway's shared executions: group key → the group, while it has subscribers. */
export class SharedExecutions {
  private readonly groups = new Map<string, Group>();
  /** Per tenant: the cost of its groups together (what one event may make it execute). */
  private readonly tenantCost = new Map<string, number>();
  readonly maskError: (error: GraphQLError) => GraphQLError;
  readonly maxQueued: number;
  private readonly work: TenantWork | undefined;
  private readonly liveCostPerTenant: number;
  executions = 0;
  /** Open subscriptions whose results are written straight to their sockets (tests and metrics). */
  piped = 0;

  constructor(options: SharedExecutionOptions = {}) {
    this.maskError = options.maskError ?? ((error) => error);
    this.maxQueued = options.maxQueuedPerSubscriber ?? 1000;
    this.work = options.work;
    this.liveCostPerTenant = options.liveCostPerTenant ?? Infinity;
  }

  /**
   * Joins the group of this operation with this access (leave it with `leave`), within its tenant's live
   * budget: a group that exists costs nothing more (equal subscriptions share one execution per event);
   * a new one must fit beside the tenant's other groups, else a CostBudgetError says what is left.
   * Joining reserves the cost at once, so subscriptions opened together cannot all pass one check.
   */
  admit(operationKey: string, principal: Principal, cost: number): Group {
    if (!this.groups.has(`${operationKey}\u0000${accessKey(principal)}`)) {
      const used = this.tenantCost.get(principal.tenantId) ?? 0;
      if (used + cost > this.liveCostPerTenant) throw new CostBudgetError(cost, used, this.liveCostPerTenant);
    }
    return this.join(operationKey, principal, cost);
  }

  /** Joins the group of this operation with this access (leave it with `leave`). */
  join(operationKey: string, principal: Principal, cost = 0): Group {
    const key = `${operationKey}\u0000${accessKey(principal)}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { key, tenantId: principal.tenantId, principal, cost, results: new Map(), subscribers: 0 };
      this.groups.set(key, group);
      this.tenantCost.set(group.tenantId, (this.tenantCost.get(group.tenantId) ?? 0) + cost);
    }
    group.subscribers += 1;
    return group;
  }

  leave(group: Group): void {
    group.subscribers -= 1;
    if (group.subscribers <= 0 && this.groups.get(group.key) === group) {
      this.groups.delete(group.key);
      const left = (this.tenantCost.get(group.tenantId) ?? 0) - group.cost;
      if (left > 0) this.tenantCost.set(group.tenantId, left);
      else this.tenantCost.delete(group.tenantId);
    }
  }

  /** The per-event cost of `tenantId`'s distinct subscriptions on this process (tests, metrics). */
  liveCostOf(tenantId: string): number {
    return this.tenantCost.get(tenantId) ?? 0;
  }

  /** Groups with subscribers (tests and metrics). */
  get groupCount(): number {
    return this.groups.size;
  }

  /** The result of `update` for a subscriber of `group`: executed once per group and event. */
  resultFor(args: ExecutionArgs, group: Group, update: LiveUpdate): SharedResult {
    const results = group.results;
    let shared = results.get(update.eventId);
    if (shared === undefined) {
      const entry: SharedResult = { promise: Promise.resolve({}), settled: false, waiting: null, holders: 0 };
      entry.promise = this.execute(args, args.contextValue as Context, update, group, () => entry.holders > 0);
      entry.promise.then(
        (value) => settle(entry, value, undefined),
        (error: unknown) => settle(entry, undefined, error instanceof Error ? error : new Error(String(error))),
      );
      shared = entry;
      results.set(update.eventId, shared);
      if (results.size > RECENT_EVENTS) results.delete(results.keys().next().value!);
    }
    return shared;
  }

  /** The result as a client receives it: unexpected errors masked, as Yoga masks them on its own path. */
  maskedResult(shared: SharedResult): Result {
    if (shared.masked === undefined) {
      const value = shared.value!;
      shared.masked = value.errors?.length ? { ...value, errors: value.errors.map((error) => this.maskError(error)) } : value;
    }
    return shared.masked;
  }

  private async execute(args: ExecutionArgs, context: Context, update: LiveUpdate, group: Group, wanted: () => boolean): Promise<Result> {
    // In the tenant's turn: a tenant with many distinct subscriptions waits for its own executions,
    // and holds at most its share of the database's connections while another tenant's requests run.
    const run = async (waited: boolean) => {
      // Every subscriber that meant to deliver it has gone while it waited its turn: nobody reads it.
      if (waited && !wanted()) return { extensions: { eventId: String(update.eventId) } };
      this.executions += 1;
      // As the group's access, not the first subscriber's context as it is now: a key whose scopes changed
      // since has moved to another group, and must not lend them to this one's other subscribers.
      const fresh: Context = { ...context, auth: group.principal, loaders: createRequestLoaders(context.prisma, group.tenantId) };
      const result = (await execute({ ...args, rootValue: update, contextValue: fresh })) as Result;
      return { ...result, extensions: { ...result.extensions, eventId: String(update.eventId) } };
    };
    // (Its subscribers take it as soon as it is made; by its turn, they may have gone.)
    return this.work ? this.work.run(group.tenantId, 1, () => run(true)) : run(false);
  }
}

function settle(shared: SharedResult, value: Result | undefined, failure: Error | undefined): void {
  shared.settled = true;
  if (value) shared.value = value;
  if (failure) shared.failure = failure;
  const waiting = shared.waiting;
  shared.waiting = null;
  for (const subscriber of waiting ?? []) subscriber.drain();
}

/**
 * A piped subscriber: the results of its updates, in its order, written through its transport's
 * writer as each is ready. Usually the result is not ready when the hub hands the update over (it is
 * being executed for the group); the subscriber then waits on it with the rest of the group, and the
 * execution's end writes to all of them, with no promise of their own.
 */
class PipedSubscriber {
  private readonly pending: SharedResult[] = [];
  private ended = false;

  constructor(
    private readonly shared: SharedExecutions,
    private readonly writer: LiveWriter,
    private readonly drop: (error: Error) => void,
  ) {}

  add(result: SharedResult): void {
    if (this.ended) return;
    result.holders += 1;
    this.pending.push(result);
    if (this.pending.length === 1) this.drain();
    else if (this.pending.length + this.writer.backlog > this.shared.maxQueued) this.fail(SlowConsumerError.past(this.shared.maxQueued));
  }

  drain(): void {
    while (!this.ended && this.pending.length > 0) {
      const head = this.pending[0]!;
      if (!head.settled) {
        if (head.waiting) head.waiting.push(this);
        else head.waiting = [this];
        return;
      }
      this.pending.shift();
      head.holders -= 1;
      if (head.failure) {
        this.fail(head.failure);
        return;
      }
      this.writer.write(this.shared.maskedResult(head));
      // What the socket has not taken yet, and what waits to be executed: past the bound, too slow.
      if (this.writer.backlog + this.pending.length > this.shared.maxQueued) {
        this.fail(SlowConsumerError.past(this.shared.maxQueued));
        return;
      }
    }
  }

  /**
   * Resolves once this subscriber has room for another update (a read-back of missed events, ./hub.ts,
   * waits on it before each): at most half the bound waiting, to be executed or in its socket.
   */
  async ready(): Promise<void> {
    while (!this.ended && this.pending.length + this.writer.backlog >= this.shared.maxQueued / 2) {
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  }

  end(): void {
    this.ended = true;
    for (const result of this.pending) result.holders -= 1;
    this.pending.length = 0;
  }

  private fail(error: Error): void {
    this.end();
    this.drop(error);
  }
}

/** `source`, each event mapped to its shared result; ending either ends the other, and `onEnd` runs once. */
function mapped<T>(source: AsyncIterable<unknown>, map: (update: T) => Promise<Result>, onEnd: () => void): AsyncIterableIterator<Result> {
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        const next = await iterator.next();
        if (next.done) {
          end();
          return { done: true, value: undefined };
        }
        return { done: false, value: await map(next.value as T) };
      } catch (error) {
        end();
        // The source may hold resources (a hub subscription) that only its return() releases.
        await iterator.return?.().catch(() => {});
        throw error;
      }
    },
    async return() {
      end();
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      end();
      await iterator.return?.();
      throw error;
    },
  };
}

/**
 * `stream` piped into `subscriber`, as the iterator its transport holds: it yields nothing (results
 * are written directly) and settles when the subscription ends — done, or rejected with why.
 */
function piped(stream: LiveStream, subscriber: PipedSubscriber, update: (update: LiveUpdate) => void, onEnd: () => void): AsyncIterableIterator<Result> {
  let outcome: { error?: Error } | null = null;
  let settle: ((result: IteratorResult<Result>) => void) | null = null;
  let reject: ((error: Error) => void) | null = null;
  stream.pipe({
    update,
    ready: () => subscriber.ready(),
    end(error) {
      if (outcome) return;
      onEnd();
      outcome = error ? { error } : {};
      if (settle) {
        if (error) reject!(error);
        else settle({ done: true, value: undefined });
        outcome = {};
      }
    },
  });
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (outcome) {
        const { error } = outcome;
        outcome = {};
        return error ? Promise.reject(error) : Promise.resolve({ done: true, value: undefined });
      }
      return new Promise((resolve, fail) => {
        settle = resolve;
        reject = fail;
      });
    },
    async return() {
      await stream.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await stream.return?.();
      throw error;
    },
  };
}

function isLiveStream(source: unknown): source is LiveStream {
  return typeof (source as { pipe?: unknown }).pipe === 'function' && isAsyncIterable(source);
}

/** What the plugin reports for /metrics. */
export interface LiveObserver {
  /** A subscription opened (+1) or ended (-1) on a transport. */
  subscription(transport: string, delta: 1 | -1): void;
  /** An update's result is ready for its subscribers `seconds` after its change committed. */
  delivered(seconds: number): void;
}

const NO_OBSERVER: LiveObserver = { subscription: () => {}, delivered: () => {} };

/** Replaces graphql-js's per-subscriber execution of subscription events with the shared one. */
export function sharedExecutionPlugin(shared: SharedExecutions, observer: LiveObserver = NO_OBSERVER): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const variables = (args.variableValues ?? {}) as Record<string, unknown>;
        const read = executionVariables(args.document, args.operationName).map((name) => [name, variables[name] ?? null]);
        const operationKey = `${documentId(args.document)}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(read)}`;
        // What one event's execution may load, as the cost limit counts it: within the tenant's live budget.
        const cost = rememberedOperationCost({ schema: args.schema, document: args.document, operationName: args.operationName ?? null, variables });
        // The group changes only when the subscriber's access does (a new principal).
        let principal = (args.contextValue as Context).auth;
        let group: Group;
        try {
          group = shared.admit(operationKey, principal, cost);
        } catch (error) {
          if (!(error instanceof CostBudgetError)) throw error;
          return {
            errors: [
              requestError(SecurityCode.COST_LIMIT_EXCEEDED, error.message, {
                cost: Math.ceil(error.cost),
                liveCost: Math.ceil(error.used),
                maxLiveCost: error.budget,
              }),
            ],
          };
        }
        let source: Awaited<ReturnType<typeof createSourceEventStream>>;
        try {
          source = await createSourceEventStream(args);
        } catch (error) {
          shared.leave(group);
          throw error;
        }
        if (!isAsyncIterable(source)) {
          shared.leave(group);
          return source as ExecutionResult;
        }
        const transport = liveWriterOf(args.contextValue)?.transport ?? 'other';
        observer.subscription(transport, 1);
        let counted = true;
        const uncount = () => {
          if (counted) observer.subscription(transport, -1);
          counted = false;
        };
        // A stream that is not the hub's (botMetricsUpdated's recounts) has no event to share a result
        // by: each of its payloads is executed for this subscriber alone, as graphql-js would.
        if (!isLiveStream(source)) {
          shared.leave(group);
          return mapped(source, (payload) => execute({ ...args, rootValue: payload }) as Promise<Result>, uncount);
        }
        // Once per event and group (a shared result is made once), when its result is ready.
        const delivered = (update: LiveUpdate, result: SharedResult) => {
          if (result.observed) return;
          result.observed = true;
          void result.promise.then(() => observer.delivered((Date.now() - update.at.getTime()) / 1000)).catch(() => {});
        };
        const groupFor = () => {
          const current = (args.contextValue as Context).auth;
          if (current !== principal) {
            shared.leave(group);
            principal = current;
            group = shared.join(operationKey, current, cost);
          }
          return group;
        };
        const writer = liveWriterOf(args.contextValue);
        if (writer && isLiveStream(source)) {
          const subscriber = new PipedSubscriber(shared, writer, (error) => void source.throw?.(error));
          shared.piped += 1;
          return piped(
            source,
            subscriber,
            (update) => {
              const result = shared.resultFor(args, groupFor(), update);
              delivered(update, result);
              subscriber.add(result);
            },
            () => {
              subscriber.end();
              shared.piped -= 1;
              shared.leave(group);
              uncount();
            },
          );
        }
        return mapped<LiveUpdate>(
          source,
          (update) => {
            const result = shared.resultFor(args, groupFor(), update);
            delivered(update, result);
            result.holders += 1;
            return result.promise.finally(() => {
              result.holders -= 1;
            });
          },
          () => {
            shared.leave(group);
            uncount();
          },
        );
      });
    },
  };
}
