// Fair shares of one gateway process: how much work each tenant may have in flight at once, so one
// tenant's heaviest in-limit load cannot hold every database connection and the event loop while
// another tenant waits. Each kind of work has a per-tenant capacity in units (an operation's estimated
// cost, or 1 per task); work past it waits its turn in that tenant's queue, first come first served,
// and never in another tenant's. A tenant's queue is bounded in length and in waiting time: past them
// the work is refused (TenantBusyError: RATE_LIMITED with Retry-After), the tenant's own load, told to
// slow down. One process counts its own work: N processes behind a balancer allow N shares.

export interface WorkShare {
  /** Units one tenant may have running at once. */
  capacity: number;
  /** Tasks one tenant may have waiting; past it, new work is refused at once. */
  maxQueued: number;
  /** How long a task may wait for its turn before it is refused. */
  maxWaitMs: number;
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
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.release(tenantId, weight);
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
      state = { running: 0, queue: [] };
      this.tenants.set(tenantId, state);
    }
    return state;
  }

  private acquire(tenantId: string, units: number): Promise<void> {
    const state = this.state(tenantId);
    // In turn: nothing waiting ahead, and room for it.
    if (state.queue.length === 0 && state.running + units <= this.share.capacity) {
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
    });
  }

  private release(tenantId: string, units: number): void {
    const state = this.tenants.get(tenantId);
    if (!state) return;
    state.running -= units;
    this.drain(tenantId, state);
  }

  /** Starts the waiting tasks that fit, in order; forgets a tenant with nothing running or waiting. */
  private drain(tenantId: string, state: TenantState): void {
    for (let next = state.queue[0]; next && state.running + next.units <= this.share.capacity; next = state.queue[0]) {
      state.queue.shift();
      state.running += next.units;
      next.start();
    }
    if (state.running <= 0 && state.queue.length === 0) this.tenants.delete(tenantId);
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
  return {
    queries: new TenantWork('query work', { capacity: shares.queryCost, maxQueued: 200, maxWaitMs: 10_000 }),
    live: new TenantWork('live executions', { capacity: shares.liveExecutions, maxQueued: 100_000, maxWaitMs: 60_000 }),
    metrics: new TenantWork('metrics recounts', { capacity: shares.metricsRecounts, maxQueued: 10_000, maxWaitMs: 60_000 }),
    ingest: new TenantWork('ingest', { capacity: shares.ingestChunks, maxQueued: 100, maxWaitMs: 60_000 }),
  };
}
