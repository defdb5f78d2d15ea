// The schema builder and nothing else: types register themselves from their own modules.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { JsonValue } from '../vendors/normalized.js';
import type PrismaTypes from '../generated/pothos-prisma-types.js';
import { getDatamodel } from '../generated/pothos-prisma-types.js';
import { refusal, scopesOf, type AuthScopes } from './auth-scopes.js';
import type { Context } from './context.js';
import { decodeGlobalId, encodeGlobalId } from './global-id.js';
import { resolveNode, resolveNodeList } from './node-lookup.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: AuthScopes;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: JsonValue; Output: unknown };
    JSONObject: { Input: Record<string, JsonValue>; Output: object };
    SafeInt: { Input: number; Output: number | bigint };
  };
}>({
  // Scope auth first: a refused field runs none of the other plugins' work.
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // A subscription is refused when it is made, not at its first event.
    authorizeOnSubscribe: true,
    authScopes: (ctx) => scopesOf(ctx.auth),
    unauthorizedError: (_parent, _ctx, info, result) => refusal(info, result),
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    onUnusedQuery: null,
  },
  relay: {
    cursorType: 'String',
    clientMutationId: 'omit',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    brandLoadedObjects: true,
    // Our own lookup (./node-lookup.ts): a statement per table for any number of ids, in the caller's tenant.
    nodeQueryOptions: {
      resolve: (_root, { id }, ctx) => resolveNode(id, ctx) as never,
    },
    nodesQueryOptions: {
      // An error in a list item nulls that item alone and is reported at its index.
      resolve: (_root, { ids }, ctx) => resolveNodeList(ids, ctx) as never,
    },
  },
});
