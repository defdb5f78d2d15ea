// Fair shares of one gateway process: how much work each tenant may have in flight, so one tenant's
// heaviest in-limit load cannot hold every database connection and the event loop while another
// tenant waits. Each kind of work has, per tenant:
// - a capacity in units (an operation's estimated cost, or 1 per task) that may run at once;
// - optionally a time budget: the milliseconds its tasks may be busy per second, on average (a token
//   bucket of busy time: each task's duration is taken from it when it ends, and it refills at
//   `msPerSecond` up to `burstMs`). A tenant whose work is mostly computing (a live subscription's
//   selection executed for event after event) would otherwise keep the event loop busy all the time
//   within any capacity; the budget leaves the rest of every second to the other tenants.
// Work past either waits its turn in that tenant's own queue, first come first served, never in another
// tenant's. A tenant's queue is bounded in length and in waiting time: past them the work is refused
// (TenantBusyError: RATE_LIMITED with Retry-After), the tenant's own load, told to slow down. One process
// counts its own work: N processes behind a balancer allow N shares.

export interface WorkShare {
  /** Units one tenant may have running at once. */
  capacity: number;
  /** Tasks one tenant may have waiting; past it, new work is refused at once. */
  maxQueued: number;
  /** How long a task may wait for its turn before it is refused. */
  maxWaitMs: number;
  /** Busy time one tenant's tasks may take: on average `msPerSecond`, up to `burstMs` at once; none: unlimited. */
  time?: { msPerSecond: number; burstMs: number };
}

export class TenantBusyError extends Error {
  override name = 'TenantBusyError';
  constructor(
    what: string,
    /** Whole seconds to wait before trying again. */
    readonly retryAfterSeconds: number,
  ) {
    super(`this tenant has as much ${what} in flight on this gateway process as its share allows; retry in ${retryAfterSeconds} s`);
  }
}

interface Waiter {
  units: number;
  start: () => void;
  timer: NodeJS.Timeout;
}

interface TenantState {
  running: number;
  queue: Waiter[];
  /** Busy milliseconds left in the bucket (may go below zero: a long task's debt). */
  tokens: number;
  refilledAt: number;
  /** Set while the queue waits for the bucket to refill. */
  refill: NodeJS.Timeout | null;
}

/** One kind of work, shared per tenant. */
export class TenantWork {
  private readonly tenants = new Map<string, TenantState>();

  constructor(
    /** What the work is, for the refusal's message ("query work", "live executions"...). */
    private readonly what: string,
    private readonly share: WorkShare,
  ) {}

  /** Runs `task` once `tenantId` has room for `units` of it (at most its whole capacity), in its turn. */
  async run<T>(tenantId: string, units: number, task: () => Promise<T>): Promise<T> {
    const leave = await this.enter(tenantId, units);
    try {
      return await task();
    } finally {
      leave();
    }
  }

  /**
   * Waits for `tenantId`'s turn and room for `units`; resolves to the function that gives them back
   * (call it once the work is done). Rejects with TenantBusyError past the queue's bounds.
   */
  async enter(tenantId: string, units: number): Promise<() => void> {
    const weight = Math.min(Math.max(1, Math.ceil(units)), this.share.capacity);
    await this.acquire(tenantId, weight);
    const started = performance.now();
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.release(tenantId, weight, performance.now() - started);
    };
  }

  /** Units running now for `tenantId` (tests, metrics). */
  running(tenantId: string): number {
    return this.tenants.get(tenantId)?.running ?? 0;
  }

  /** Tasks waiting now for `tenantId`. */
  waiting(tenantId: string): number {
    return this.tenants.get(tenantId)?.queue.length ?? 0;
  }

  private state(tenantId: string): TenantState {
    let state = this.tenants.get(tenantId);
    if (!state) {
      state = { running: 0, queue: [], tokens: this.share.time?.burstMs ?? 0, refilledAt: performance.now(), refill: null };
      this.tenants.set(tenantId, state);
    }
    return state;
  }

  /** The bucket refilled for the time since it last was. */
  private refill(state: TenantState, time: NonNullable<WorkShare['time']>): void {
    const now = performance.now();
    state.tokens = Math.min(time.burstMs, state.tokens + ((now - state.refilledAt) * time.msPerSecond) / 1000);
    state.refilledAt = now;
  }

  /** Whether a task of `units` may start now: room in the capacity, and busy time left. */
  private fits(state: TenantState, units: number): boolean {
    if (state.running + units > this.share.capacity) return false;
    const time = this.share.time;
    if (!time) return true;
    this.refill(state, time);
    return state.tokens > 0;
  }

  private acquire(tenantId: string, units: number): Promise<void> {
    const state = this.state(tenantId);
    // In turn: nothing waiting ahead, and room for it.
    if (state.queue.length === 0 && this.fits(state, units)) {
      state.running += units;
      return Promise.resolve();
    }
    if (state.queue.length >= this.share.maxQueued) return Promise.reject(this.busy());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        units,
        start: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const index = state.queue.indexOf(waiter);
          if (index >= 0) state.queue.splice(index, 1);
          reject(this.busy());
          this.drain(tenantId, state);
        }, this.share.maxWaitMs),
      };
      waiter.timer.unref();
      state.queue.push(waiter);
      // Over its busy time with nothing running, only the refill can start it.
      this.drain(tenantId, state);
    });
  }

  private release(tenantId: string, units: number, busyMs: number): void {
    const state = this.tenants.get(tenantId);
    if (!state) return;
    state.running -= units;
    // A task's time is charged whole, but the debt stops at one burst: a task that waited on a slow or
    // absent database (wall time, not work) may delay its tenant's next ones by a burst at most.
    if (this.share.time) state.tokens = Math.max(-this.share.time.burstMs, state.tokens - busyMs);
    this.drain(tenantId, state);
  }

  /** Starts the waiting tasks that fit, in order; waits for the refill when time is what they lack. */
  private drain(tenantId: string, state: TenantState): void {
    for (let next = state.queue[0]; next && this.fits(state, next.units); next = state.queue[0]) {
      state.queue.shift();
      state.running += next.units;
      next.start();
    }
    const time = this.share.time;
    const next = state.queue[0];
    if (next && time && state.tokens <= 0 && state.running + next.units <= this.share.capacity && state.refill === null) {
      // Back in the black once the debt is refilled (and a millisecond more).
      const waitMs = Math.ceil((-state.tokens * 1000) / time.msPerSecond) + 1;
      state.refill = setTimeout(() => {
        state.refill = null;
        this.drain(tenantId, state);
      }, waitMs);
      state.refill.unref();
    }
    // A tenant with nothing running or waiting and a full bucket is the same as one never seen.
    if (state.running > 0 || state.queue.length > 0 || state.refill !== null) return;
    if (time) this.refill(state, time);
    if (!time || state.tokens >= time.burstMs) this.tenants.delete(tenantId);
  }

  private busy(): TenantBusyError {
    return new TenantBusyError(this.what, Math.max(1, Math.ceil(this.share.maxWaitMs / 1000)));
  }
}

/** The shares' sizes, from the settings (./options.ts TenantShares). */
export interface TenantShareSizes {
  queryCost: number;
  liveExecutions: number;
  metricsRecounts: number;
  ingestChunks: number;
  /** Busy time per second a tenant's live executions and recounts may each take on one process. */
  busyMsPerSecond: number;
  /** Busy time per second a tenant's queries and mutations may take on one process. */
  queryBusyMsPerSecond: number;
}

/** Every kind of work a tenant's requests and subscriptions cause, each with its share. */
export interface TenantWorks {
  /** Queries and mutations, weighed by their estimated cost; a request waits at most 10 s. */
  queries: TenantWork;
  /** Subscription executions, one per distinct subscription and event; they wait for as long as their subscribers' bounds allow. */
  live: TenantWork;
  /** botMetricsUpdated recounts. */
  metrics: TenantWork;
  /** Ingest transactions (a chunk of up to 500 items each). */
  ingest: TenantWork;
}

export function createTenantWorks(shares: TenantShareSizes): TenantWorks {
  // A second's worth may be spent at once, then the share each second.
  const time = { msPerSecond: shares.busyMsPerSecond, burstMs: Math.max(1000, shares.busyMsPerSecond) };
  const queryTime = { msPerSecond: shares.queryBusyMsPerSecond, burstMs: Math.max(1000, shares.queryBusyMsPerSecond) };
  return {
    queries: new TenantWork('query work', { capacity: shares.queryCost, maxQueued: 200, maxWaitMs: 10_000, time: queryTime }),
    live: new TenantWork('live executions', { capacity: shares.liveExecutions, maxQueued: 100_000, maxWaitMs: 60_000, time }),
    metrics: new TenantWork('metrics recounts', { capacity: shares.metricsRecounts, maxQueued: 10_000, maxWaitMs: 60_000, time }),
    // Ingest by count alone: a tenant's import is bounded by its connections, not slowed to a share of the time.
    ingest: new TenantWork('ingest', { capacity: shares.ingestChunks, maxQueued: 100, maxWaitMs: 60_000 }),
  };
}
