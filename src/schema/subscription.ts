// Live updates: every change the ingest pipeline stores, filtered per subscriber before delivery.
import { GraphQLError } from 'graphql';
import { SESSION_EVENT_KINDS } from '../live/events.js';
import { matchesFilter } from '../live/filter.js';
import type { LiveUpdate } from '../live/hub.js';
import { builder } from './builder.js';
import { ErrorCode, userError } from './errors.js';
import { decodeGlobalId, localIdOf } from './global-id.js';
import { MessageRef } from './message.js';
import { SessionFilterInput, SessionRef, sessionTypeNames, toSessionFilter } from './session.js';

const SessionUpdateKindEnum = builder.enumType('SessionUpdateKind', {
  values: SESSION_EVENT_KINDS,
  description: 'What happened: a session appeared, changed, ended, was handed to a human, or gained a message.',
});

const SessionUpdateRef = builder.objectRef<LiveUpdate>('SessionUpdate').implement({
  description: 'One stored change, with the session as it is after the change.',
  fields: (t) => ({
    kind: t.field({ type: SessionUpdateKindEnum, resolve: (u) => u.kind }),
    session: t.field({ type: SessionRef, resolve: (u) => u.session }),
    message: t.field({ type: MessageRef, nullable: true, description: 'The new message, for MESSAGE_ADDED.', resolve: (u) => u.message }),
  }),
});

/** Subscription iterators end with this when a client cannot keep up; clients see its code. */
function asClientError(iterator: AsyncIterableIterator<LiveUpdate>): AsyncIterableIterator<LiveUpdate> {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () =>
      iterator.next().catch((error: unknown) => {
        throw new GraphQLError(error instanceof Error ? error.message : 'subscription ended', { extensions: { code: 'SLOW_CONSUMER' } });
      }),
    return: () => iterator.return?.() ?? Promise.resolve({ value: undefined, done: true }),
  };
}

/** `iterator`, but its first `next()` waits for `check`; a failing check ends the subscription with its error. */
function afterCheck(iterator: AsyncIterableIterator<LiveUpdate>, check: () => Promise<void>): AsyncIterableIterator<LiveUpdate> {
  let checked: Promise<void> | undefined;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        checked ??= check();
        await checked;
      } catch (error) {
        await iterator.return?.();
        throw error;
      }
      return iterator.next();
    },
    return: () => iterator.return?.() ?? Promise.resolve({ value: undefined, done: true }),
  };
}

// Every subscription needs the `read` scope.
builder.subscriptionType({
  authScopes: { read: true },
  fields: (t) => ({
    sessionUpdated: t.field({
      type: SessionUpdateRef,
      description: 'Every stored change to a session matching `filter` (all sessions without one), as it is committed.',
      args: { filter: t.arg({ type: SessionFilterInput, required: false }) },
      subscribe: (_root, args, ctx) => {
        const filter = { ...toSessionFilter(args.filter), tenantId: ctx.auth.tenantId };
        return asClientError(ctx.live.subscribe((update) => matchesFilter(update.session, filter)));
      },
      resolve: (update) => update,
    }),
    sessionMessages: t.field({
      type: MessageRef,
      description: "A session's transcript as it grows: each message as it is stored.",
      args: { sessionId: t.arg.id({ required: true, description: 'Global id of any session type.' }) },
      // The hub subscription starts at once, so nothing committed during the existence check is missed;
      // the check's answer (NOT_FOUND, which another tenant's session also gets) comes before any message.
      subscribe: (_root, args, ctx) => {
        const id = localIdOf(decodeGlobalId(String(args.sessionId)), sessionTypeNames, 'sessionId');
        const updates = asClientError(ctx.live.subscribe((update) => update.kind === 'MESSAGE_ADDED' && update.session.id === id && update.message !== null));
        return afterCheck(updates, async () => {
          const visible = await ctx.prisma.session.findFirst({ where: { id, tenantId: ctx.auth.tenantId }, select: { id: true } });
          if (!visible) throw userError(ErrorCode.NOT_FOUND, 'No session with that id.');
        });
      },
      resolve: (update) => update.message!,
    }),
  }),
});
