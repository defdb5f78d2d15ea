// The event bus across gateway processes: every process publishes its commits to one Redis channel
// and hears everyone else's. Local listeners are called at once (they need not wait for Redis, and
// keep working while it is away); an event that comes back from Redis with our own origin is skipped.
// What Redis carries is a hint: the outbox has every event (./outbox.ts), and a hub that was not told
// of one (Redis away, a publisher killed between commit and publish) reads it there.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createInProcessEventBus, type EventBus, type StoredEvent } from './events.js';

interface WireMessage {
  origin: string;
  events: (Omit<StoredEvent, 'at' | 'id' | 'seq'> & { at: string; id: string; seq: string })[];
}

export interface RedisEventBusOptions {
  /** The channel to announce on and hear: the database's own (`sessionEventsChannel`), so deployments sharing a Redis stay apart. */
  channel: string;
  log?: (message: string) => void;
  logError?: (error: unknown) => void;
}

export async function createRedisEventBus(url: string, options: RedisEventBusOptions): Promise<EventBus> {
  const log = options.log ?? ((m) => console.log(m));
  const logError = options.logError ?? ((e) => console.error(e));
  const origin = randomUUID();
  const local = createInProcessEventBus(logError);
  // Reconnect forever with a capped back-off: a Redis restart must not need a gateway restart.
  const retryStrategy = (attempt: number) => Math.min(attempt * 200, 5000);
  const publisher = new Redis(url, { retryStrategy, maxRetriesPerRequest: 3, lazyConnect: true });
  const subscriber = new Redis(url, { retryStrategy, lazyConnect: true });

  let down = false;
  for (const [name, client] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (error: Error) => {
      if (!down) log(`parley: Redis unavailable (${name}: ${error.message}); live updates across processes paused, retrying`);
      down = true;
    });
    client.on('ready', () => {
      if (down) log(`parley: Redis is back (${name}); live updates across processes resumed`);
      down = false;
    });
  }

  subscriber.on('message', (_channel: string, raw: string) => {
    let events: StoredEvent[];
    try {
      const message = JSON.parse(raw) as WireMessage;
      if (message.origin === origin) return;
      events = message.events.map((e) => ({ ...e, id: BigInt(e.id), seq: BigInt(e.seq), at: new Date(e.at) }));
    } catch (error) {
      // Not ours to read (another version, a stray publisher): the hubs find the events in the outbox.
      logError(error);
      return;
    }
    local.publish(events);
  });

  await Promise.all([publisher.connect(), subscriber.connect()]);
  const { channel } = options;
  await subscriber.subscribe(channel);

  return {
    publish(events) {
      if (events.length === 0) return;
      local.publish(events);
      const wire: WireMessage = { origin, events: events.map((e) => ({ ...e, id: String(e.id), seq: String(e.seq), at: e.at.toISOString() })) };
      publisher.publish(channel, JSON.stringify(wire)).catch((error: unknown) => {
        logError(error);
      });
    },
    subscribe: (listener) => local.subscribe(listener),
    problem() {
      const states = [publisher.status, subscriber.status];
      return states.every((state) => state === 'ready') ? null : `not connected to Redis (${states.join(', ')})`;
    },
    async close() {
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
