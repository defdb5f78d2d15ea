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
import {
  createSourceEventStream,
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
import type { LiveUpdate } from './hub.js';

/** Results kept per group: a subscriber that lags behind the others by more re-executes (correctly, just once more). */
const RECENT_EVENTS = 16;

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

/** The subscribers of one operation with one access, and the results of their most recent events. */
interface Group {
  key: string;
  results: Map<bigint, Promise<Result>>;
  subscribers: number;
}

/** One gateway's shared executions: group key → the group, while it has subscribers. */
export class SharedExecutions {
  private readonly groups = new Map<string, Group>();
  executions = 0;

  /** Joins the group of this operation with this access (leave it with `leave`). */
  join(operationKey: string, principal: Principal): Group {
    const key = `${operationKey}\u0000${accessKey(principal)}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { key, results: new Map(), subscribers: 0 };
      this.groups.set(key, group);
    }
    group.subscribers += 1;
    return group;
  }

  leave(group: Group): void {
    group.subscribers -= 1;
    if (group.subscribers <= 0 && this.groups.get(group.key) === group) this.groups.delete(group.key);
  }

  /** Groups with subscribers (tests and metrics). */
  get groupCount(): number {
    return this.groups.size;
  }

  /** The result of `update` for a subscriber of `group`: executed once per group and event. */
  resultFor(args: ExecutionArgs, group: Group, update: LiveUpdate): Promise<Result> {
    const context = args.contextValue as Context;
    const results = group.results;
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

/** `source`, each event mapped to its shared result; ending either ends the other, and `onEnd` runs once. */
function mapped(source: AsyncIterable<unknown>, map: (update: LiveUpdate) => Promise<Result>, onEnd: () => void): AsyncIterableIterator<Result> {
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
        return { done: false, value: await map(next.value as LiveUpdate) };
      } catch (error) {
        end();
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

/** Replaces graphql-js's per-subscriber execution of subscription events with the shared one. */
export function sharedExecutionPlugin(shared: SharedExecutions): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args);
        if (!isAsyncIterable(source)) return source as ExecutionResult;
        const variables = (args.variableValues ?? {}) as Record<string, unknown>;
        const read = executionVariables(args.document, args.operationName).map((name) => [name, variables[name] ?? null]);
        const operationKey = `${documentId(args.document)}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(read)}`;
        // The group changes only when the subscriber's access does (a new principal).
        let principal = (args.contextValue as Context).auth;
        let group = shared.join(operationKey, principal);
        return mapped(
          source,
          (update) => {
            const current = (args.contextValue as Context).auth;
            if (current !== principal) {
              shared.leave(group);
              principal = current;
              group = shared.join(operationKey, current);
            }
            return shared.resultFor(args, group, update);
          },
          () => shared.leave(group),
        );
      });
    },
  };
}
