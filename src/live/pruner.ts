// Keeps the outbox bounded: every process prunes on a timer (../db/periodic.ts); the deletes are
// idempotent, so several processes pruning at once only repeat each other's work.
import type { Prisma } from '../db/client.js';
import { createPeriodicTask, type PeriodicTask, tenthOf } from '../db/periodic.js';
import { pruneOutbox } from './outbox.js';
import type { LiveSettings } from './settings.js';

export interface OutboxPruner extends PeriodicTask {
  /** Prunes what is past retention now; resolves with how many events were deleted. */
  prune(now?: Date): Promise<number>;
}

/** Prunes every tenth of the retention window, at least every minute and at most every second. */
export function createOutboxPruner(
  prisma: Prisma,
  settings: Pick<LiveSettings, 'retentionSeconds' | 'maxRetainedEvents'>,
  logError: (error: unknown) => void,
): OutboxPruner {
  const prune = (now = new Date()) => pruneOutbox(prisma, { retentionSeconds: settings.retentionSeconds, maxRetained: settings.maxRetainedEvents, now });
  return { prune, ...createPeriodicTask(() => prune(), tenthOf(settings.retentionSeconds), logError) };
}
