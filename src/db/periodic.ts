// Database housekeeping on a timer (expiring pending messages, pruning the live outbox): every process
// runs it; a run that fails (the database is away) is logged and tried again at the next tick, and
// runs never overlap within a process (a tick that comes during a run is skipped, not queued).

export interface PeriodicTask {
  start(): void;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** Every tenth of `windowSeconds`, at least every minute and at most every second. */
export function tenthOf(windowSeconds: number): number {
  return Math.max(1000, Math.min(60_000, (windowSeconds * 1000) / 10));
}

export function createPeriodicTask(run: () => Promise<unknown>, intervalMs: number, logError: (error: unknown) => void): PeriodicTask {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  return {
    start() {
      if (timer !== null) return;
      timer = setInterval(() => {
        // A tick that finds the last run still going is skipped: ticks never queue up behind a long run.
        if (running !== null) return;
        running = run()
          .catch(logError)
          .finally(() => {
            running = null;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
