// One per gateway process: listens to the event bus once, loads each changed session and message
// once, and hands them to every subscriber whose filter matches. Work per event does not grow with
// the number of subscribers beyond an in-memory filter check.
import type { Prisma } from '../db/client.js';
import type { Message, Session } from '../generated/prisma/client.js';
import type { EventBus, SessionEvent, SessionEventKind } from './events.js';

export interface LiveUpdate {
  kind: SessionEventKind;
  session: Session;
  message: Message | null;
}

/** Subscribers handed an update before the hub yields to the event loop (see `deliver`). */
const DELIVERY_SLICE = 250;

export class SlowConsumerError extends Error {
  override name = 'SlowConsumerError';
}

interface Subscriber {
  wants(update: LiveUpdate): boolean;
  push(update: LiveUpdate): void;
  end(error?: Error): void;
}

export interface LiveHubOptions {
  /** Updates one subscriber may have waiting before it is told it is too slow and dropped. */
  maxQueuedPerSubscriber?: number;
  logError?: (error: unknown) => void;
}

export class LiveHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly unsubscribe: () => void;
  private readonly maxQueued: number;
  private readonly logError: (error: unknown) => void;
  private closed = false;
  /** Delivery runs one batch at a time, so every subscriber sees updates in commit order. */
  private delivering: Promise<void> = Promise.resolve();

  constructor(
    private readonly prisma: Prisma,
    bus: EventBus,
    options: LiveHubOptions = {},
  ) {
    this.maxQueued = options.maxQueuedPerSubscriber ?? 1000;
    this.logError = options.logError ?? ((e) => console.error(e));
    this.unsubscribe = bus.subscribe((events) => {
      if (this.subscribers.size === 0) return;
      this.delivering = this.delivering.then(() => this.deliver(events)).catch((error) => this.logError(error));
    });
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  private async deliver(events: readonly SessionEvent[]): Promise<void> {
    const sessionIds = [...new Set(events.map((e) => e.sessionId))];
    const messageIds = [...new Set(events.flatMap((e) => (e.messageId ? [e.messageId] : [])))];
    const [sessions, messages] = await Promise.all([
      this.prisma.session.findMany({ where: { id: { in: sessionIds } } }),
      messageIds.length > 0 ? this.prisma.message.findMany({ where: { id: { in: messageIds } } }) : Promise.resolve([]),
    ]);
    const sessionById = new Map(sessions.map((s) => [s.id, s]));
    const messageById = new Map(messages.map((m) => [m.id, m]));
    for (const event of events) {
      const session = sessionById.get(event.sessionId);
      if (!session) continue;
      const update: LiveUpdate = { kind: event.kind, session, message: event.messageId ? (messageById.get(event.messageId) ?? null) : null };
      // Each push lets a subscriber's transport execute and write its result (promise callbacks, run
      // before the event loop moves on): ~0.1 ms per subscriber. With thousands of subscribers, give
      // the event loop a turn every DELIVERY_SLICE of them, so ingest requests, keep-alives and new
      // connections are served during a long fan-out instead of after it.
      let pushed = 0;
      for (const subscriber of [...this.subscribers]) {
        if (!subscriber.wants(update)) continue;
        subscriber.push(update);
        if (++pushed % DELIVERY_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  /**
   * An async iterator of the updates `wants` accepts. It ends when the client goes away, when the hub
   * closes (shutdown), or with SlowConsumerError when the client falls too far behind.
   */
  subscribe(wants: (update: LiveUpdate) => boolean): AsyncIterableIterator<LiveUpdate> {
    const queue: LiveUpdate[] = [];
    let waiting: ((result: IteratorResult<LiveUpdate>) => void) | null = null;
    let failing: ((error: Error) => void) | null = null;
    let done = false;
    let error: Error | undefined;
    const hub = this;

    const subscriber: Subscriber = {
      wants,
      push(update) {
        if (done) return;
        if (waiting) {
          const resolve = waiting;
          waiting = failing = null;
          resolve({ value: update, done: false });
          return;
        }
        if (queue.length >= hub.maxQueued) {
          subscriber.end(new SlowConsumerError(`more than ${hub.maxQueued} updates were waiting for this subscriber; it was dropped`));
          return;
        }
        queue.push(update);
      },
      end(reason) {
        if (done) return;
        done = true;
        error = reason;
        hub.subscribers.delete(subscriber);
        // What was queued before a slow-consumer drop is discarded: the client is told at once.
        if (reason) queue.length = 0;
        if (waiting) {
          const resolve = waiting;
          const reject = failing;
          waiting = failing = null;
          if (reason && reject) reject(reason);
          else resolve({ value: undefined, done: true });
        }
      },
    };
    if (this.closed) done = true;
    else this.subscribers.add(subscriber);

    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next() {
        const value = queue.shift();
        if (value) return Promise.resolve({ value, done: false });
        if (done) {
          // A dropped subscriber learns why once; after that the iterator is simply finished.
          const reason = error;
          error = undefined;
          return reason ? Promise.reject(reason) : Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => {
          waiting = resolve;
          failing = reject;
        });
      },
      return() {
        subscriber.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  /** Completes every subscription (shutdown): clients get a clean end, not a broken connection. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const subscriber of [...this.subscribers]) subscriber.end();
  }
}
