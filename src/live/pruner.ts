// Keeps the outbox bounded: every process prunes on a timer (the deletes are idempotent, so several
// processes pruning at once only repeat each other's work).
import type { Prisma } from '../db/client.js';
import { pruneOutbox } from './outbox.js';
import type { LiveSettings } from './settings.js';

export interface OutboxPruner {
  /** Prunes what is past retention now; resolves with how many events were deleted. */
  prune(now?: Date): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/** Prunes every tenth of the retention window, at least every minute and at most every second. */
export function createOutboxPruner(
  prisma: Prisma,
  settings: Pick<LiveSettings, 'retentionSeconds' | 'maxRetainedEvents'>,
  logError: (error: unknown) => void,
): OutboxPruner {
  const intervalMs = Math.max(1000, Math.min(60_000, (settings.retentionSeconds * 1000) / 10));
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  const prune = (now = new Date()) => pruneOutbox(prisma, { retentionSeconds: settings.retentionSeconds, maxRetained: settings.maxRetainedEvents, now });
  return {
    prune,
    start() {
      if (timer !== null) return;
      timer = setInterval(() => {
        // A failed prune (the database is away) is logged and tried again at the next tick.
        running = running.then(() => prune()).catch(logError);
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
