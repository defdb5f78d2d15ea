// What the ingest pipeline announces after each commit. The outbox (./outbox.ts) records every event in
// the committing transaction; the bus only carries them on to the live hubs, in this process
// (in-process bus) or in every process (./redis-bus.ts), as a hint: a hub that misses one reads the
// outbox (./hub.ts).

export const SESSION_EVENT_KINDS = ['CREATED', 'UPDATED', 'ENDED', 'TRANSFERRED', 'MESSAGE_ADDED'] as const;
export type SessionEventKind = (typeof SESSION_EVENT_KINDS)[number];

/** A change, as the writer decides it. */
export interface SessionEvent {
  kind: SessionEventKind;
  /** Parley's session id. */
  sessionId: string;
  /** Parley's message id, for MESSAGE_ADDED. */
  messageId: string | null;
  /** When the writer made the change (its clock). */
  at: Date;
}

/** A change as the outbox holds it: with its place in commit order. */
export interface StoredEvent extends SessionEvent {
  /** Commit order across every process and tenant, without gaps (./outbox.ts): internal, never shown to clients. */
  id: bigint;
  tenantId: string;
  /** Its number within its tenant, in commit order without gaps: the event id clients see and resume from. */
  seq: bigint;
}

export type SessionEventListener = (events: readonly StoredEvent[]) => void;

export interface EventBus {
  /** Called after the transaction that made the changes has committed, never before. */
  publish(events: readonly StoredEvent[]): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: SessionEventListener): () => void;
  /** Releases connections (Redis); absent when there are none. */
  close?(): Promise<void>;
  /** Why other processes cannot hear this one right now (Redis not connected), or null; absent in-process. */
  problem?(): string | null;
}

/** One process: listeners are called synchronously; a throwing listener cannot break ingest or other listeners. */
export function createInProcessEventBus(onListenerError: (error: unknown) => void = (e) => console.error(e)): EventBus {
  const listeners = new Set<SessionEventListener>();
  return {
    publish(events) {
      if (events.length === 0) return;
      for (const listener of listeners) {
        try {
          listener(events);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
