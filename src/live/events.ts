// What the ingest pipeline announces after each commit. Subscriptions (and anything else that reacts
// to stored data) listen here; the bus is in-process now and can be backed by Redis pub/sub without
// the pipeline knowing.

export const SESSION_EVENT_KINDS = ['CREATED', 'UPDATED', 'ENDED', 'TRANSFERRED', 'MESSAGE_ADDED'] as const;
export type SessionEventKind = (typeof SESSION_EVENT_KINDS)[number];

export interface SessionEvent {
  kind: SessionEventKind;
  /** Parley's session id. */
  sessionId: string;
  /** Parley's message id, for MESSAGE_ADDED. */
  messageId: string | null;
  /** When the change was committed. */
  at: Date;
}

export type SessionEventListener = (events: readonly SessionEvent[]) => void;

export interface EventBus {
  /** Called after the transaction that made the changes has committed, never before. */
  publish(events: readonly SessionEvent[]): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: SessionEventListener): () => void;
  /** Releases connections (Redis); absent when there are none. */
  close?(): Promise<void>;
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
