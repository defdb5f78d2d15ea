// `node(id)` and `nodes(ids:)` (the relay plugin's root fields, resolved here): each id's row through the
// request's node loader (../loaders/nodes.ts: one statement per table, in the caller's tenant), branded
// with its type so the `Node` interface resolves it. `nodes` takes at most MAX_NODE_IDS ids: each id is a
// row to find and its selection to resolve, priced as such by the cost limit (../security/cost.ts).
import { brandWithType } from '@pothos/core';
import type { NodeTable } from '../loaders/nodes.js';
import type { Context } from './context.js';
import { ErrorCode, userError } from './errors.js';
import { nodeNotFound } from './global-id.js';
import { sessionKindOf } from './session-type-names.js';

/** The most ids one `nodes` call takes (as many as a page of a connection). */
export const MAX_NODE_IDS = 100;

export interface ParsedGlobalId {
  typename: string;
  id: string;
}

function tableOf(typename: string): NodeTable | null {
  const kind = sessionKindOf.get(typename);
  if (kind) return { table: 'session', kind };
  if (typename === 'Message') return { table: 'message' };
  if (typename === 'Conversation') return { table: 'conversation' };
  return null;
}

/** The row `globalId` names, branded with its type; NOT_FOUND (an error in its place) when there is none. */
async function lookUp(globalId: ParsedGlobalId, ctx: Context): Promise<object | Error> {
  const table = tableOf(globalId.typename);
  const row = table === null ? null : await ctx.loaders.nodes.load({ ...table, id: globalId.id });
  if (row === null) return nodeNotFound(globalId);
  brandWithType(row, globalId.typename as never);
  return row;
}

export async function resolveNode(globalId: ParsedGlobalId, ctx: Context): Promise<object> {
  const found = await lookUp(globalId, ctx);
  if (found instanceof Error) throw found;
  return found;
}

/** Each id's node, or the error at its index (a missing or foreign id nulls its item alone). */
export async function resolveNodeList(globalIds: readonly ParsedGlobalId[], ctx: Context): Promise<(object | Error)[]> {
  if (globalIds.length > MAX_NODE_IDS) {
    throw userError(ErrorCode.BAD_USER_INPUT, `\`nodes\` takes at most ${MAX_NODE_IDS} ids (got ${globalIds.length}); ask in several requests.`, {
      maxIds: MAX_NODE_IDS,
    });
  }
  return Promise.all(globalIds.map((globalId) => lookUp(globalId, ctx)));
}
