// Live updates: every change the ingest pipeline stores, filtered per subscriber before delivery, and
// resumable from the outbox after a reconnect (`since`, SSE's Last-Event-ID).
import { GraphQLError } from 'graphql';
import { unavailableError } from '../answers.js';
import { classifyDatabaseError, isDatabaseError } from '../db/faults.js';
import { SESSION_EVENT_KINDS } from '../live/events.js';
import { InvalidEventIdError, lastEventIdOf, parseEventId } from '../live/event-id.js';
import { matchesFilter } from '../live/filter.js';
import {
  EventsExpiredError,
  FutureEventError,
  type LiveStream,
  type LiveUpdate,
  SlowConsumerError,
  type SubscribeOptions,
  TooManySubscriptionsError,
} from '../live/hub.js';
import { TenantBusyError } from '../security/tenant-work.js';
import { forbidden } from './auth-scopes.js';
import type { Context } from './context.js';
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
    eventId: t.id({
      description:
        "The change's place in commit order among its tenant's events (1, 2, 3, ... without gaps): pass it as `since` to resume after it. Also in each payload's `extensions.eventId`.",
      resolve: (u) => String(u.eventId),
    }),
    kind: t.field({ type: SessionUpdateKindEnum, resolve: (u) => u.kind }),
    session: t.field({ type: SessionRef, resolve: (u) => u.session }),
    message: t.field({ type: MessageRef, nullable: true, description: 'The new message, for MESSAGE_ADDED.', resolve: (u) => u.message }),
  }),
});

/** What a live error means to a client: its code (README, "Live updates"). */
function asGraphqlError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const message = error instanceof Error ? error.message : 'subscription ended';
  if (error instanceof SlowConsumerError) return new GraphQLError(message, { extensions: { code: 'SLOW_CONSUMER' } });
  // Its events could not be executed within its tenant's share for so long that the queue gave up.
  if (error instanceof TenantBusyError) {
    return new GraphQLError(`this subscription fell behind: ${message}`, { extensions: { code: 'SLOW_CONSUMER', retryAfterSeconds: error.retryAfterSeconds } });
  }
  if (error instanceof EventsExpiredError) return new GraphQLError(message, { extensions: { code: 'EVENTS_EXPIRED' } });
  if (error instanceof TooManySubscriptionsError) return new GraphQLError(message, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } });
  if (error instanceof FutureEventError || error instanceof InvalidEventIdError) return userError(ErrorCode.BAD_USER_INPUT, message, { argument: 'since' });
  // The outbox could not be read: whatever the database said, the client should subscribe again.
  if (isDatabaseError(error) && classifyDatabaseError(error) !== 'rejection') {
    return unavailableError('The database is unavailable; subscribe again (with since, to miss nothing) shortly.');
  }
  throw error;
}

/** The error a client is told, or (an unexpected one) the error itself, which the transport masks. */
function clientError(error: Error): Error {
  try {
    return asGraphqlError(error);
  } catch {
    return error;
  }
}

/** The hub's stream as the transports want it: errors carry their client code; `release` runs once it ends, however. */
function forClients(iterator: LiveStream, release: () => void): LiveStream {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    pipe: (sink) =>
      iterator.pipe({
        update: (update) => sink.update(update),
        ...(sink.ready ? { ready: () => sink.ready!() } : {}),
        end: (error) => {
          release();
          sink.end(error && clientError(error));
        },
      }),
    next: () =>
      iterator.next().then(
        (result) => {
          if (result.done) release();
          return result;
        },
        (error: unknown) => {
          release();
          throw asGraphqlError(error);
        },
      ),
    return: () => {
      release();
      return iterator.return?.() ?? Promise.resolve({ value: undefined, done: true });
    },
    // Ends the subscription with `error` (a piped subscriber too slow to write to): it reaches the client.
    throw: (error?: unknown) => iterator.throw?.(error) ?? Promise.resolve({ value: undefined, done: true }),
  };
}

/**
 * Keeps an open subscription's access current (../auth/access-watch.ts): a revoked key ends it with
 * UNAUTHENTICATED, a key that lost `read` with FORBIDDEN; otherwise it carries on with the key and
 * the tenant's personal-data rule as they are now (each event is executed on a fresh copy of this
 * context, ../live/shared-execution.ts, so no scope decision of an earlier event is kept).
 */
function watchAccess(ctx: Context, iterator: LiveStream): () => void {
  const keyId = ctx.auth.keyId;
  if (keyId === null) return () => {};
  return ctx.access.watch(keyId, (current) => {
    if (current === null) {
      void iterator.throw?.(new GraphQLError('The API key was revoked.', { extensions: { code: 'UNAUTHENTICATED' } }));
    } else if (!current.scopes.has('read') || current.tenantId !== ctx.auth.tenantId) {
      void iterator.throw?.(forbidden('this API key no longer has the `read` scope needed for a subscription'));
    } else if (current.messageTextIsPii !== ctx.auth.messageTextIsPii || [...current.scopes].sort().join() !== [...ctx.auth.scopes].sort().join()) {
      ctx.auth = current;
    }
  });
}

/** The hub's subscription for this operation: its key's limit, and `since` (or SSE's Last-Event-ID header). */
export async function subscribeLive(
  ctx: Context,
  since: string | null | undefined,
  wants: (update: LiveUpdate) => boolean,
  index: SubscribeOptions['index'] = {},
): Promise<LiveStream> {
  try {
    const resumeFrom = parseEventId(since ?? lastEventIdOf(ctx));
    const iterator = await ctx.live.subscribe({ tenantId: ctx.auth.tenantId, owner: ctx.auth.keyId ?? 'development', wants, since: resumeFrom, index });
    let unwatch: (() => void) | null = watchAccess(ctx, iterator);
    const release = () => {
      unwatch?.();
      unwatch = null;
    };
    return forClients(iterator, release);
  } catch (error) {
    throw asGraphqlError(error);
  }
}

const SINCE_DESCRIPTION =
  'Resume after this event id (a payload\'s `extensions.eventId`, `SessionUpdate.eventId`): the events committed since are delivered first, in order, then the live ones. Over SSE the `Last-Event-ID` header does the same. Older than the outbox keeps (README, "Live updates"): EVENTS_EXPIRED.';

// Every subscription needs the `read` scope.
builder.subscriptionType({
  authScopes: { read: true },
  fields: (t) => ({
    sessionUpdated: t.field({
      type: SessionUpdateRef,
      description: 'Every stored change to a session matching `filter` (all sessions without one), as it is committed.',
      args: {
        filter: t.arg({ type: SessionFilterInput, required: false }),
        since: t.arg.id({ required: false, description: SINCE_DESCRIPTION }),
      },
      subscribe: (_root, args, ctx) => {
        const filter = { ...toSessionFilter(args.filter), tenantId: ctx.auth.tenantId };
        return subscribeLive(
          ctx,
          args.since === null || args.since === undefined ? args.since : String(args.since),
          (update) => matchesFilter(update.session, filter),
          { botIds: filter.botIds ?? null },
        );
      },
      resolve: (update) => update,
    }),
    sessionMessages: t.field({
      type: MessageRef,
      description: "A session's transcript as it grows: each message as it is stored.",
      args: {
        sessionId: t.arg.id({ required: true, description: 'Global id of any session type.' }),
        since: t.arg.id({ required: false, description: SINCE_DESCRIPTION }),
      },
      // The existence check runs first (NOT_FOUND, which another tenant's session also gets); the hub
      // subscription then starts from the newest event at that moment, or from `since`.
      subscribe: async (_root, args, ctx) => {
        const id = localIdOf(decodeGlobalId(String(args.sessionId)), sessionTypeNames, 'sessionId');
        const since = args.since === null || args.since === undefined ? args.since : String(args.since);
        const visible = await ctx.prisma.session.findFirst({ where: { id, tenantId: ctx.auth.tenantId }, select: { id: true } });
        if (!visible) throw userError(ErrorCode.NOT_FOUND, 'No session with that id.');
        return subscribeLive(ctx, since, (update) => update.kind === 'MESSAGE_ADDED' && update.session.id === id && update.message !== null, { sessionId: id });
      },
      resolve: (update) => update.message!,
    }),
  }),
});
