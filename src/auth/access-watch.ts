// Access on open connections: a WebSocket or an SSE stream authenticated once lives on, so the keys
// behind open subscriptions are read again every `intervalMs`. A key revoked (or deleted) since, a
// scope taken away or a tenant's personal-data rule changed reaches each watcher, which ends its
// subscription or socket, or carries on with the principal as it is now (README, "Scopes").
import type { Prisma } from '../db/client.js';
import { classifyDatabaseError } from '../db/faults.js';
import { currentPrincipals } from './authenticate.js';
import type { Principal } from './principal.js';

/** Told the key's principal as it is now; null once the key is revoked or gone. */
export type AccessListener = (current: Principal | null) => void;

/** How often open connections' keys are read again: within the 5 s README promises, with room for the query. */
export const ACCESS_CHECK_INTERVAL_MS = 2000;

export class AccessWatcher {
  private readonly listeners = new Map<string, Set<AccessListener>>();
  private timer: NodeJS.Timeout | null = null;
  private checking = false;

  constructor(
    private readonly prisma: Prisma,
    private readonly logError: (error: unknown) => void,
    private readonly intervalMs = ACCESS_CHECK_INTERVAL_MS,
  ) {}

  /** Watches `keyId` until the returned function is called. */
  watch(keyId: string, listener: AccessListener): () => void {
    let set = this.listeners.get(keyId);
    if (!set) {
      set = new Set();
      this.listeners.set(keyId, set);
    }
    set.add(listener);
    if (this.timer === null) {
      this.timer = setInterval(() => void this.check(), this.intervalMs);
      this.timer.unref();
    }
    return () => {
      const current = this.listeners.get(keyId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(keyId);
      if (this.listeners.size === 0 && this.timer !== null) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  /** One round: every watched key in one query; a database that cannot answer leaves everything as it is until the next. */
  async check(): Promise<void> {
    if (this.checking || this.listeners.size === 0) return;
    this.checking = true;
    try {
      const current = await currentPrincipals(this.prisma, [...this.listeners.keys()]);
      for (const [keyId, listeners] of [...this.listeners]) {
        for (const listener of [...listeners]) {
          try {
            listener(current.get(keyId) ?? null);
          } catch (error) {
            this.logError(error);
          }
        }
      }
    } catch (error) {
      // An outage is reported where requests meet it; here it only means "check again next round".
      if (classifyDatabaseError(error) !== 'unavailable') this.logError(error);
    } finally {
      this.checking = false;
    }
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }
}
