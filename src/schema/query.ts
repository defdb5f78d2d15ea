// Root query fields that are not a single type's own: session and conversation look-ups, the
// session list. `node` and `nodes` come from the relay plugin (see builder options).
import { Vendor } from '../generated/prisma/enums.js';
import { SESSION_COLUMNS } from '../queries/sessions.js';
import { builder } from './builder.js';
import { ConversationRef } from './conversation.js';
import { SessionKindEnum, VendorEnum } from './enums.js';
import { ErrorCode, userError } from './errors.js';
import { decodeGlobalId, localIdOf } from './global-id.js';
import { resolveSessionConnection, SessionFilterInput, SessionOrderInput, SessionRef, toSessionFilter } from './session.js';

// Every query needs the `read` scope.
builder.queryType({ authScopes: { read: true } });

builder.queryFields((t) => ({
  session: t.field({
    type: SessionRef,
    nullable: true,
    description: "A session by the vendor's own id. Genesys bot flow and journey sessions share a vendor: pass `kind` if an id could be either.",
    args: {
      vendor: t.arg({ type: VendorEnum, required: true }),
      externalId: t.arg.string({ required: true }),
      kind: t.arg({ type: SessionKindEnum, required: false }),
    },
    resolve: async (_root, { vendor, externalId, kind }, ctx) => {
      const found = await ctx.prisma.session.findMany({
        select: SESSION_COLUMNS,
        where: { tenantId: ctx.auth.tenantId, vendor, externalId, ...(kind ? { kind } : {}) },
        take: 2,
      });
      if (found.length > 1) {
        throw userError(ErrorCode.BAD_USER_INPUT, `More than one ${vendor} session has id "${externalId}": pass \`kind\`.`);
      }
      if (!found[0]) throw userError(ErrorCode.NOT_FOUND, `No ${kind ?? vendor} session with id "${externalId}".`);
      return found[0];
    },
  }),
  sessions: t.connection(
    {
      type: SessionRef,
      description: 'Sessions of every vendor, newest first unless `orderBy` says otherwise.',
      args: {
        filter: t.arg({ type: SessionFilterInput, required: false }),
        orderBy: t.arg({ type: SessionOrderInput, required: false }),
      },
      resolve: (_root, args, ctx) =>
        resolveSessionConnection(ctx, args, toSessionFilter(args.filter), {
          field: args.orderBy?.field ?? 'createdAt',
          direction: args.orderBy?.direction ?? 'desc',
        }),
    },
    {
      name: 'SessionConnection',
      fields: (c) => ({
        totalCount: c.int({ description: 'Sessions matching the filter, on every page.', resolve: (connection) => connection.totalCount() }),
      }),
    },
  ),
  conversation: t.field({
    type: ConversationRef,
    nullable: true,
    description: 'A conversation by its global `id` or by its `externalId`: exactly one of the two.',
    args: { id: t.arg.id({ required: false }), externalId: t.arg.string({ required: false }) },
    resolve: async (_root, args, ctx) => {
      if ((args.id == null) === (args.externalId == null)) {
        throw userError(ErrorCode.BAD_USER_INPUT, 'Pass exactly one of `id` and `externalId`.');
      }
      const found = await ctx.prisma.conversation.findFirst({
        where: {
          tenantId: ctx.auth.tenantId,
          ...(args.id != null ? { id: localIdOf(decodeGlobalId(String(args.id)), ['Conversation'], 'id') } : { externalId: args.externalId as string }),
        },
      });
      if (!found) throw userError(ErrorCode.NOT_FOUND, 'No conversation with that id.');
      return found;
    },
  }),
}));

export { Vendor };
