// One per gateway process: follows the outbox (./outbox.ts) in id order, loads each changed session and
// message once, and hands them to every subscriber whose filter matches. Work per event does not grow
// with the number of subscribers beyond an in-memory filter check.
//
// The bus (in-process or Redis) tells the hub what was committed; when what it is told follows what it
// has delivered, it delivers straight away, and otherwise (a gap: Redis was away, a publisher died
// between commit and publish) it reads the outbox, as it also does every `pollMs`. So every subscriber
// sees every event after it subscribed, once, in commit order. A subscriber that resumes (`since`) first
// reads the events it missed from the outbox, at its own pace, then joins the live ones.
import type { Prisma } from '../db/client.js';
import type { Message } from '../generated/prisma/client.js';
import { SESSION_COLUMNS, type SessionRow } from '../queries/sessions.js';
import type { EventBus, SessionEventKind, StoredEvent } from './events.js';
import { outboxState, readEvents, readTenantEvents, tenantLastEvent } from './outbox.js';
import { DEFAULT_LIVE_SETTINGS } from './settings.js';

export interface LiveUpdate {
  /** The event's number within its tenant (the outbox's `seq`): what a client sees and resumes from. */
  eventId: bigint;
  /** Its place among every tenant's events (the outbox's `id`): the order the hub delivers in; never shown. */
  outboxId: bigint;
  /** When the change committed (the outbox's time). */
  at: Date;
  kind: SessionEventKind;
  /** The session as it is now (for a replayed event: as it is when replayed). */
  session: SessionRow;
  message: Message | null;
}

/** Subscribers handed an update before the hub yields to the event loop (see `deliver`). */
const DELIVERY_SLICE = 250;
/** Events read from the outbox at a time. */
const OUTBOX_PAGE = 500;

export class SlowConsumerError extends Error {
  override name = 'SlowConsumerError';

  /** A subscriber with more than `maxQueued` updates waiting for it (in the hub, or to be written to its socket). */
  static past(maxQueued: number): SlowConsumerError {
    return new SlowConsumerError(`more than ${maxQueued} updates were waiting for this subscriber; it was dropped`);
  }
}

export class TooManySubscriptionsError extends Error {
  override name = 'TooManySubscriptionsError';
}

export class EventsExpiredError extends Error {
  override name = 'EventsExpiredError';
}

export class FutureEventError extends Error {
  override name = 'FutureEventError';
}

interface Subscriber {
  tenantId: string;
  /** Where it is indexed: under its bots or its session, or (neither) under its tenant's `any`. */
  botIds: readonly string[] | null;
  sessionId: string | null;
  owner: string;
  wants(update: LiveUpdate): boolean;
  push(update: LiveUpdate): void;
  end(error?: Error): void;
}

/**
 * Where a piped subscription's updates go (`LiveStream.pipe`): handed over synchronously, in order, as
 * the hub delivers them, with no iterator in between; `end` once, with the reason when it was dropped.
 */
export interface LiveSink {
  update(update: LiveUpdate): void;
  end(error?: Error): void;
  /** Resolves when the sink can take another update: missed events are handed over at the client's pace. */
  ready?(): Promise<void>;
}

/** A subscription: an async iterator of its updates, or (`pipe`) a push of them into a sink. */
export interface LiveStream extends AsyncIterableIterator<LiveUpdate> {
  /**
   * Hands every update to `sink` instead of `next()` (use one or the other): the missed events first
   * (with `since`), then the live ones as they are delivered. For transports that write each update
   * straight to a socket (./shared-execution.ts), a fan-out to thousands costs no promise per subscriber.
   */
  pipe(sink: LiveSink): void;
}

export interface LiveHubOptions {
  /** Updates one subscriber may have waiting before it is told it is too slow and dropped. */
  maxQueuedPerSubscriber?: number;
  /** Open subscriptions on this process; past it new ones get TooManySubscriptionsError. */
  maxSubscriptions?: number;
  /** Open subscriptions per owner (an API key) on this process. */
  maxSubscriptionsPerKey?: number;
  /** Open subscriptions per tenant on this process. */
  maxSubscriptionsPerTenant?: number;
  /** How often the outbox is read without a hint (events a dead publisher or a Redis outage did not announce). */
  pollMs?: number;
  logError?: (error: unknown) => void;
}

export interface SubscribeOptions {
  /** The tenant whose events a resuming subscriber reads back. */
  tenantId: string;
  /** Who holds the subscription, for the per-key limit. */
  owner: string;
  /** Which updates this subscriber receives. */
  wants: (update: LiveUpdate) => boolean;
  /** Resume after this event id: the events since are read back from the outbox first. */
  since?: bigint | undefined;
  /**
   * What `wants` needs at least, so the hub only asks subscribers that can match: a subscriber to
   * some bots is asked about those bots' sessions, one to a session about that session.
   */
  index?: { botIds?: readonly string[] | null; sessionId?: string | null };
}

/** A tenant's subscribers, indexed by what their filters need. */
interface TenantSubscribers {
  any: Set<Subscriber>;
  byBot: Map<string, Set<Subscriber>>;
  bySession: Map<string, Set<Subscriber>>;
}

function addTo<K>(map: Map<K, Set<Subscriber>>, key: K, subscriber: Subscriber): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(subscriber);
}

function decrement(counts: Map<string, number>, key: string): void {
  const count = (counts.get(key) ?? 1) - 1;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}

function removeFrom<K>(map: Map<K, Set<Subscriber>>, key: K, subscriber: Subscriber): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(subscriber);
  if (set.size === 0) map.delete(key);
}

export class LiveHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly byTenant = new Map<string, TenantSubscribers>();
  private readonly perOwner = new Map<string, number>();
  private readonly perTenant = new Map<string, number>();
  private readonly unsubscribe: () => void;
  private readonly maxQueued: number;
  private readonly maxSubscriptions: number;
  private readonly maxPerOwner: number;
  private readonly maxPerTenant: number;
  private readonly logError: (error: unknown) => void;
  private readonly poller: NodeJS.Timeout;
  private closed = false;
  /** The last event every subscriber has been handed (undefined until the outbox was first read). */
  private position: bigint | undefined;
  private positionRead: Promise<bigint> | undefined;
  /** Events the bus announced that are not delivered yet, by id. */
  private readonly hints = new Map<bigint, StoredEvent>();
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  private pollWanted = false;

  constructor(
    private readonly prisma: Prisma,
    bus: EventBus,
    options: LiveHubOptions = {},
  ) {
    this.maxQueued = options.maxQueuedPerSubscriber ?? 1000;
    this.maxSubscriptions = options.maxSubscriptions ?? DEFAULT_LIVE_SETTINGS.maxSubscriptions;
    this.maxPerOwner = options.maxSubscriptionsPerKey ?? DEFAULT_LIVE_SETTINGS.maxSubscriptionsPerKey;
    this.maxPerTenant = options.maxSubscriptionsPerTenant ?? DEFAULT_LIVE_SETTINGS.maxSubscriptionsPerTenant;
    this.logError = options.logError ?? ((e) => console.error(e));
    this.unsubscribe = bus.subscribe((events) => {
      for (const event of events) if (this.position === undefined || event.id > this.position) this.hints.set(event.id, event);
      this.wake(false);
    });
    this.poller = setInterval(() => this.wake(true), options.pollMs ?? 1000);
    this.poller.unref();
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Delivery runs one pass at a time, so every subscriber sees updates in commit order. */
  private wake(poll: boolean): void {
    if (this.closed) return;
    if (poll) this.pollWanted = true;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = (async () => {
      do {
        this.pumpAgain = false;
        const polling = this.pollWanted;
        this.pollWanted = false;
        try {
          await this.drain(polling);
        } catch (error) {
          // The outbox cannot be read (the database is away): the next poll tries again, from the same place.
          this.logError(error);
        }
      } while (this.pumpAgain && !this.closed);
      this.pumping = undefined;
    })();
  }

  /** Where the hub starts: the newest event when it first looks (it delivers what commits after). */
  private startPosition(): Promise<bigint> {
    if (this.position !== undefined) return Promise.resolve(this.position);
    this.positionRead ??= outboxState(this.prisma).then(
      ({ last }) => {
        this.position ??= last;
        return this.position;
      },
      (error: unknown) => {
        this.positionRead = undefined;
        throw error;
      },
    );
    return this.positionRead;
  }

  private async drain(poll: boolean): Promise<void> {
    if (this.subscribers.size === 0) {
      // Nobody to deliver to: no reading at all. Where to start is read again when someone subscribes.
      this.position = undefined;
      this.positionRead = undefined;
      this.hints.clear();
      return;
    }
    let readOutbox = poll;
    let position = await this.startPosition();
    for (;;) {
      for (const id of this.hints.keys()) if (id <= position) this.hints.delete(id);
      // What the bus announced, as long as it follows on from what was delivered.
      const run: StoredEvent[] = [];
      for (let next = this.hints.get(position + 1n); next; next = this.hints.get(next.id + 1n)) run.push(next);
      if (run.length > 0) {
        await this.deliver(run);
      } else if (this.hints.size > 0 || readOutbox) {
        // A gap, or a poll: the outbox has every committed event.
        const page = await readEvents(this.prisma, position, OUTBOX_PAGE);
        if (page.length === 0) return;
        await this.deliver(page);
        readOutbox = page.length === OUTBOX_PAGE;
      } else {
        return;
      }
      position = this.position!;
      if (this.closed) return;
    }
  }

  /** Loads what `events` changed, in two statements, as updates in the events' order. */
  private async load(events: readonly StoredEvent[]): Promise<LiveUpdate[]> {
    const sessionIds = [...new Set(events.map((e) => e.sessionId))];
    const messageIds = [...new Set(events.flatMap((e) => (e.messageId ? [e.messageId] : [])))];
    const [sessions, messages] = await Promise.all([
      // Without the vendor's documents: a subscription that selects vendor fields loads them per execution.
      this.prisma.session.findMany({ select: SESSION_COLUMNS, where: { id: { in: sessionIds } } }),
      messageIds.length > 0 ? this.prisma.message.findMany({ where: { id: { in: messageIds } } }) : Promise.resolve([]),
    ]);
    const sessionById = new Map(sessions.map((s) => [s.id, s]));
    const messageById = new Map(messages.map((m) => [m.id, m]));
    const updates: LiveUpdate[] = [];
    for (const event of events) {
      const session = sessionById.get(event.sessionId);
      if (!session) continue; // deleted since (a tenant removed): nothing left to show
      updates.push({
        eventId: event.seq,
        outboxId: event.id,
        at: event.at,
        kind: event.kind,
        session,
        message: event.messageId ? (messageById.get(event.messageId) ?? null) : null,
      });
    }
    return updates;
  }

  private async deliver(events: readonly StoredEvent[]): Promise<void> {
    const last = events[events.length - 1]!.id;
    if (this.subscribers.size === 0) {
      this.position = last;
      return;
    }
    const updates = await this.load(events);
    for (const update of updates) {
      // Each push lets a subscriber's transport execute and write its result (promise callbacks, run
      // before the event loop moves on): ~0.1 ms per subscriber. With thousands of subscribers, give
      // the event loop a turn every DELIVERY_SLICE of them, so ingest requests, keep-alives and new
      // connections are served during a long fan-out instead of after it.
      const candidates = this.candidates(update);
      // Whoever joins from here on is not among the candidates: it gets this event by replay (resuming
      // from before it) or not at all (subscribing from now on), never twice and never not at all.
      this.position = update.outboxId;
      let pushed = 0;
      for (const subscriber of candidates) {
        if (!subscriber.wants(update)) continue;
        subscriber.push(update);
        if (++pushed % DELIVERY_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    this.position = last;
  }

  /** The subscribers that may want `update` (the index), as a snapshot: who joins during delivery is not asked. */
  private candidates(update: LiveUpdate): Subscriber[] {
    const tenant = this.byTenant.get(update.session.tenantId);
    if (!tenant) return [];
    const out = [...tenant.any];
    const botId = update.session.botId;
    if (botId !== null) for (const subscriber of tenant.byBot.get(botId) ?? []) out.push(subscriber);
    for (const subscriber of tenant.bySession.get(update.session.id) ?? []) out.push(subscriber);
    return out;
  }

  private index(subscriber: Subscriber): void {
    let tenant = this.byTenant.get(subscriber.tenantId);
    if (!tenant) {
      tenant = { any: new Set(), byBot: new Map(), bySession: new Map() };
      this.byTenant.set(subscriber.tenantId, tenant);
    }
    if (subscriber.sessionId !== null) addTo(tenant.bySession, subscriber.sessionId, subscriber);
    else if (subscriber.botIds !== null) for (const botId of subscriber.botIds) addTo(tenant.byBot, botId, subscriber);
    else tenant.any.add(subscriber);
  }

  private unindex(subscriber: Subscriber): void {
    const tenant = this.byTenant.get(subscriber.tenantId);
    if (!tenant) return;
    if (subscriber.sessionId !== null) removeFrom(tenant.bySession, subscriber.sessionId, subscriber);
    else if (subscriber.botIds !== null) for (const botId of subscriber.botIds) removeFrom(tenant.byBot, botId, subscriber);
    else tenant.any.delete(subscriber);
    if (tenant.any.size === 0 && tenant.byBot.size === 0 && tenant.bySession.size === 0) this.byTenant.delete(subscriber.tenantId);
  }

  /**
   * An async iterator of the updates `wants` accepts, from now on (or, with `since`, from the event
   * after it). It ends when the client goes away, when the hub closes (shutdown), with
   * SlowConsumerError when the client falls too far behind, or with EventsExpiredError when `since`
   * is older than the outbox keeps. Refused with TooManySubscriptionsError past the limits.
   */
  private checkLimits(owner: string, tenantId: string): void {
    if (this.subscribers.size >= this.maxSubscriptions) {
      throw new TooManySubscriptionsError(`this gateway process serves ${this.maxSubscriptions} subscriptions, its limit; retry later or on another process`);
    }
    if ((this.perTenant.get(tenantId) ?? 0) >= this.maxPerTenant) {
      throw new TooManySubscriptionsError(
        `this tenant holds ${this.maxPerTenant} subscriptions on this gateway process, its share; retry later or on another process`,
      );
    }
    if ((this.perOwner.get(owner) ?? 0) >= this.maxPerOwner) {
      throw new TooManySubscriptionsError(`this API key holds ${this.maxPerOwner} subscriptions on this gateway process, its limit`);
    }
  }

  async subscribe(options: SubscribeOptions): Promise<LiveStream> {
    // Checked before the database is asked anything, and again when the subscriber is counted.
    this.checkLimits(options.owner, options.tenantId);
    // The replay ends where live delivery takes over: the hub's position when the subscriber joins.
    const joinedAt = await this.startPosition();
    const replayed = options.since;
    if (replayed !== undefined) {
      // A tenant's event numbers have no gaps: the event after `since` is kept, or some were pruned.
      const last = await tenantLastEvent(this.prisma, options.tenantId);
      if (replayed > last) throw new FutureEventError(`no event ${replayed} exists yet (the newest is ${last})`);
      if (replayed < last) {
        const [next] = await readTenantEvents(this.prisma, options.tenantId, replayed, 1);
        if (next?.seq !== replayed + 1n) {
          const kept = next ? ` (the outbox keeps events from ${next.seq})` : '';
          throw new EventsExpiredError(`events after ${replayed} are no longer kept${kept}; query the current state and subscribe again without since`);
        }
      }
    }
    return this.register(options, joinedAt, replayed);
  }

  private register(options: SubscribeOptions, joinedAt: bigint, since: bigint | undefined): LiveStream {
    if (!this.closed) this.checkLimits(options.owner, options.tenantId);
    const queue: LiveUpdate[] = [];
    const replay: LiveUpdate[] = [];
    let replayFrom = since; // the last event replayed so far; undefined: nothing (left) to replay
    // The hub goes on from here (it forgets where it was while nobody is subscribed): events after this
    // are live for this subscriber, those up to it are replayed (with `since`).
    const forgotten = this.position === undefined;
    this.position ??= joinedAt;
    const livePosition = this.position;
    let waiting: ((result: IteratorResult<LiveUpdate>) => void) | null = null;
    let failing: ((error: Error) => void) | null = null;
    let done = false;
    let error: Error | undefined;
    /** Piped: where updates go; `live` once the missed events were handed over and updates go straight there. */
    let sink: LiveSink | null = null;
    let live = false;
    const hub = this;
    const { owner, wants } = options;

    const botIds = options.index?.botIds && options.index.botIds.length > 0 ? [...new Set(options.index.botIds)] : null;
    const subscriber: Subscriber = {
      tenantId: options.tenantId,
      botIds,
      sessionId: options.index?.sessionId ?? null,
      owner,
      wants,
      push(update) {
        // Already seen by the client: `since` can be ahead of this process (another one delivered it first).
        if (done || (since !== undefined && update.eventId <= since)) return;
        if (live) {
          sink!.update(update);
          return;
        }
        if (waiting && replayFrom === undefined) {
          const resolve = waiting;
          waiting = failing = null;
          resolve({ value: update, done: false });
          return;
        }
        if (queue.length >= hub.maxQueued) {
          subscriber.end(SlowConsumerError.past(hub.maxQueued));
          return;
        }
        queue.push(update);
      },
      end(reason) {
        if (done) return;
        done = true;
        error = reason;
        if (hub.subscribers.delete(subscriber)) {
          hub.unindex(subscriber);
          decrement(hub.perOwner, owner);
          decrement(hub.perTenant, options.tenantId);
        }
        // What was queued before a slow-consumer drop is discarded: the client is told at once.
        if (reason) queue.length = replay.length = 0;
        if (sink) {
          error = undefined;
          sink.end(reason);
          return;
        }
        if (waiting) {
          const resolve = waiting;
          const reject = failing;
          waiting = failing = null;
          if (reason && reject) {
            error = undefined; // told now: the next call just finishes
            reject(reason);
          } else resolve({ value: undefined, done: true });
        }
      },
    };
    if (this.closed) done = true;
    else {
      this.subscribers.add(subscriber);
      this.index(subscriber);
      this.perOwner.set(owner, (this.perOwner.get(owner) ?? 0) + 1);
      this.perTenant.set(options.tenantId, (this.perTenant.get(options.tenantId) ?? 0) + 1);
      // The hub stopped following the outbox while nobody listened: catch up now, not at the next poll.
      if (forgotten) this.wake(true);
    }

    /**
     * The next page of missed events this subscriber wants: its tenant's events after `replayFrom`, up to
     * where live delivery took over (the hub's position when it joined).
     */
    const replayPage = async (): Promise<void> => {
      while (!done && replayFrom !== undefined && replay.length === 0) {
        const last = await tenantLastEvent(hub.prisma, options.tenantId);
        const events = await readTenantEvents(hub.prisma, options.tenantId, replayFrom, OUTBOX_PAGE);
        // Without gaps, the next event is `replayFrom + 1`, and none is missing below `last` (read first,
        // so every event up to it is visible): anything else was pruned while this client read back.
        if (events.length === 0 ? last > replayFrom : events[0]!.seq !== replayFrom + 1n) {
          throw new EventsExpiredError(`events after ${replayFrom} were pruned while they were being read back; query the current state and subscribe again`);
        }
        const missed = events.filter((e) => e.id <= livePosition);
        // Past the live position (or nothing left): this is the read-back's last page.
        replayFrom = missed.length === events.length && events.length === OUTBOX_PAGE ? events[events.length - 1]!.seq : undefined;
        const updates = await hub.load(missed);
        if (done) break;
        for (const update of updates) if (wants(update)) replay.push(update);
      }
    };

    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      pipe(target) {
        sink = target;
        if (done) {
          const reason = error;
          error = undefined;
          target.end(reason);
          return;
        }
        void (async () => {
          try {
            while (!done && replayFrom !== undefined) {
              await replayPage();
              for (let update = replay.shift(); update && !done; update = replay.shift()) {
                // At the client's pace: each missed event waits until the sink has room for it.
                await target.ready?.();
                if (!done) target.update(update);
              }
            }
          } catch (readError) {
            subscriber.end(readError instanceof Error ? readError : new Error(String(readError)));
            return;
          }
          // Live from here: what arrived during the read-back first, then each update as it is delivered.
          for (let update = queue.shift(); update && !done; update = queue.shift()) target.update(update);
          live = !done;
        })();
      },
      async next() {
        if (!done && replayFrom !== undefined) {
          try {
            await replayPage();
          } catch (readError) {
            subscriber.end(readError instanceof Error ? readError : new Error(String(readError)));
          }
        }
        const value = done ? queue.shift() : (replay.shift() ?? queue.shift());
        if (value) return { value, done: false };
        if (done) {
          // A dropped subscriber learns why once; after that the iterator is simply finished.
          const reason = error;
          error = undefined;
          if (reason) throw reason;
          return { value: undefined, done: true };
        }
        return new Promise<IteratorResult<LiveUpdate>>((resolve, reject) => {
          waiting = resolve;
          failing = reject;
        });
      },
      return() {
        subscriber.end();
        return Promise.resolve({ value: undefined, done: true });
      },
      /** Ends the subscription with `reason` (access taken away): a waiting `next()` rejects with it. */
      throw(reason?: unknown) {
        subscriber.end(reason instanceof Error ? reason : new Error(String(reason)));
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  /** Completes every subscription (shutdown): clients get a clean end, not a broken connection. */
  close(): void {
    this.closed = true;
    clearInterval(this.poller);
    this.unsubscribe();
    for (const subscriber of [...this.subscribers]) subscriber.end();
  }
}
