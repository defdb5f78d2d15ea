// What a gateway process allows of live subscriptions, and how long the outbox keeps events for
// clients that reconnect (README, "Live updates"). config.ts reads them from the environment.

export interface LiveSettings {
  /** Open subscriptions one process serves; past it, new ones are refused with TOO_MANY_SUBSCRIPTIONS. */
  maxSubscriptions: number;
  /** Open subscriptions one API key may hold on one process (development mode counts as one key). */
  maxSubscriptionsPerKey: number;
  /** Open subscriptions one tenant (all its keys) may hold on one process: its share, so no tenant can lock the others out. */
  maxSubscriptionsPerTenant: number;
  /** How long the outbox keeps an event for a client resuming with `since` / `Last-Event-ID`. */
  retentionSeconds: number;
  /** At most this many events are kept, whatever their age (the newest ones). */
  maxRetainedEvents: number;
}

export const DEFAULT_LIVE_SETTINGS: LiveSettings = {
  // 10,000 subscribers per process is the benchmark's load (BENCHMARKS.md, "Fan-out"); twice that leaves room.
  maxSubscriptions: 20_000,
  maxSubscriptionsPerKey: 10_000,
  // Half the process: one tenant, however many keys it has, leaves the other half to everyone else.
  maxSubscriptionsPerTenant: 10_000,
  // A day: a wallboard that lost its network overnight does not get a day back, one that lost it for
  // the afternoon does.
  retentionSeconds: 24 * 60 * 60,
  maxRetainedEvents: 1_000_000,
};
