// The IPC messages between the neighbours suite (bench/suites/neighbours.ts) and its client processes
// (bench/lib/neighbours-worker.ts): the victim in one process, the attacker in another, neither in the
// gateway's process nor in the suite's.

/** One GraphQL or ingest request's outcome, as a client saw it. */
export interface RequestSample {
  /** Milliseconds from sending to the whole answer (or to the client's timeout). */
  ms: number;
  /** HTTP status; 0 when no answer came (timeout, connection error). */
  status: number;
  /** What went wrong: the first error's `extensions.code` (or ingest `error.code`), `TIMEOUT`, `NETWORK: ...`,
   * `HTTP <status>`, or `BAD_ANSWER` (200 without the data asked for); null when the answer was right. */
  code: string | null;
}

/** The victim: one request after another (never two at once), at most one per `intervalMs`. */
export interface VictimCommand {
  type: 'victim';
  url: string;
  key: string;
  /** The GraphQL request body (JSON). */
  body: string;
  intervalMs: number;
  timeoutMs: number;
  /** The answer is right when `data.sessions.edges` has this many items. */
  expectEdges: number;
}

/** Subscriptions over graphql-transport-ws: one socket per group (one API key each). */
export interface SubscribeCommand {
  type: 'subscribe';
  url: string;
  groups: { key: string; documents: string[] }[];
  /** How long to wait for an operation's refusal (or first payload) before counting it open. */
  confirmMs: number;
  /** Give up re-trying a rate-limited subscription after this long. */
  retryForMs: number;
}

/** Posts the bodies to an ingest route, one at a time, at `perSecond`, until stopped (cycling when they run out). */
export interface IngestCommand {
  type: 'ingest';
  url: string;
  key: string;
  route: string;
  bodies: string[];
  perSecond: number;
}

/** Keeps `concurrency` copies of one GraphQL request in flight for `seconds`, then waits `graceMs` for the last ones. */
export interface RepeatCommand {
  type: 'repeat';
  url: string;
  key: string;
  body: string;
  concurrency: number;
  seconds: number;
  graceMs: number;
}

/** `requests` GraphQL requests spread evenly over `seconds`, each with a new random well-formed unknown key. */
export interface FloodCommand {
  type: 'flood';
  url: string;
  requests: number;
  seconds: number;
  connections: number;
}

/** Alternating requests with unknown keys: one whose prefix exists (`existingPrefix`), one whose prefix does not. */
export interface AuthTimingCommand {
  type: 'auth-timing';
  url: string;
  existingPrefix: string;
  samples: number;
}

export type WorkerCommand =
  | VictimCommand
  | { type: 'stop-victim' }
  | SubscribeCommand
  | { type: 'subscriptions' }
  | { type: 'unsubscribe' }
  | IngestCommand
  | { type: 'stop-ingest' }
  | RepeatCommand
  | FloodCommand
  | AuthTimingCommand;

export interface VictimReport {
  type: 'victim-report';
  samples: RequestSample[];
}

export interface SubscriptionsReport {
  type: 'subscriptions-report';
  requested: number;
  /** Operations that got no refusal (their first payload, or nothing within `confirmMs`). */
  open: number;
  /** Refusals by code (an operation refused for good: after rate-limit retries ran out, or another code). */
  refused: Record<string, number>;
  /** Operations refused with RATE_LIMITED (or sockets closed 4429) and sent again after Retry-After. */
  rateLimitedRetries: number;
  /** `next` payloads received since subscribing, over all operations. */
  payloads: number;
  /** Errors after an operation was open (SLOW_CONSUMER...), by code. */
  laterErrors: Record<string, number>;
  /** Sockets that closed without being asked to, by close code. */
  socketsClosed: Record<string, number>;
  /** Milliseconds from the first subscribe to the last operation's confirmation. */
  openMs: number;
}

export interface IngestReport {
  type: 'ingest-report';
  samples: RequestSample[];
}

export interface RepeatReport {
  type: 'repeat-report';
  samples: RequestSample[];
  /** Requests still unanswered after the grace period: cut off (the gateway may still be working on them). */
  cutOff: number;
}

export interface FloodReport {
  type: 'flood-report';
  /** Requests answered (or failed) in all. */
  sent: number;
  ms: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number; max: number };
}

export interface AuthTimingReport {
  type: 'auth-timing-report';
  /** Medians over the 401 answers only (a 429 says nothing about verification). */
  existingPrefix: { medianMs: number | null; statuses: Record<string, number> };
  missingPrefix: { medianMs: number | null; statuses: Record<string, number> };
}

export type WorkerReply =
  | { type: 'ready'; pid: number }
  | { type: 'started' }
  | { type: 'failed'; error: string }
  | VictimReport
  | SubscriptionsReport
  | { type: 'unsubscribed' }
  | IngestReport
  | RepeatReport
  | FloodReport
  | AuthTimingReport;

/** Each command is answered by one reply, matched by `id`. */
export interface Envelope<T> {
  id: number;
  message: T;
}
