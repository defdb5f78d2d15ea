// The IPC messages between the fan-out suite (the gateway's process) and its subscriber process
// (bench/lib/fanout-clients.ts).

export interface ConnectCommand {
  type: 'connect';
  /** The GraphQL endpoint, http://127.0.0.1:<port>/graphql (WebSockets use ws://, same path). */
  url: string;
  query: string;
  /** 0: every subscriber sends `query` as is; n: subscriber i filters on bot `fanout-bench-<i % n>` (variable `bots`). */
  filters: number;
  sse: number;
  ws: number;
  /** Connection attempts in flight at once. */
  concurrency: number;
}

export type ClientCommand =
  | ConnectCommand
  | { type: 'clock'; at: number }
  /** eventFilters[k]: the filter (bot) event k belongs to, when subscribers filter; null: every subscriber gets every event. */
  | { type: 'expect'; events: number; eventFilters: number[] | null }
  | { type: 'progress' }
  /** references[name][event]: a time (parent's clock) to measure receipt against; null when unknown. */
  | { type: 'report'; references: Record<string, (number | null)[]>; offsetMs: number }
  | { type: 'close' };

export interface LatencySummary {
  count: number;
  min: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface DeliveryReport {
  type: 'report';
  /** Distinct (subscriber, event) deliveries. */
  received: number;
  /** Expected deliveries that never arrived. */
  missed: number;
  subscribersMissing: number;
  duplicates: number;
  /** `next` payloads that named no expected event. */
  unknown: number;
  /** Subscriptions that ended (complete, closed) before the report. */
  ended: number;
  errors: number;
  firstErrors: string[];
  /** Milliseconds from each reference time to receipt, over all deliveries. */
  latency: Record<string, LatencySummary>;
  cpu: NodeJS.CpuUsage;
  rssBytes: number;
}

export type ClientReply =
  | { type: 'ready'; pid: number }
  | { type: 'connected'; sse: number; ws: number; ms: number; failures: string[]; emfile: boolean }
  | { type: 'failed'; error: string }
  | { type: 'clock'; parentAt: number; childAt: number }
  | { type: 'expecting' }
  | { type: 'progress'; received: number; lastDeliveryAt: number; cpu: NodeJS.CpuUsage }
  | DeliveryReport
  | { type: 'closed' };
