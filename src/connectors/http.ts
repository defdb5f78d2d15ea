// Talking to a vendor's API politely and predictably: at most the vendor's documented request rate,
// a `429` waited out for as long as its `Retry-After` says, `5xx`, timeouts and refused connections
// retried with exponential backoff and jitter, and never a tight loop. What cannot be retried ends
// the run with an error that says which kind of failure it was (bad credentials, unreachable, a bad
// page), so the CLI can exit with the right code and the scheduler can report it.
import { setTimeout as delay } from 'node:timers/promises';

/** The vendor refused our credentials: retrying will not help; a person must fix the configuration. */
export class VendorAuthError extends Error {
  override name = 'VendorAuthError';
}

/** The vendor could not be reached or kept failing after every retry: try again later. */
export class VendorUnavailableError extends Error {
  override name = 'VendorUnavailableError';
}

/** The vendor answered something we cannot read (not JSON, not the documented envelope). */
export class VendorResponseError extends Error {
  override name = 'VendorResponseError';
  constructor(
    message: string,
    /** The request (path and query) whose answer could not be read. */
    readonly url: string,
  ) {
    super(message);
  }
}

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  attempts: number;
  /** First backoff; doubles per attempt, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this ends the run as unavailable instead of sleeping through it. */
  maxRetryAfterMs: number;
  /** Per request. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 180_000, timeoutMs: 30_000 };

/** What a run's requests cost, for its summary. */
export interface RequestStats {
  requests: number;
  retries: number;
  /** `429` answers among the requests. */
  rateLimited: number;
}

export const emptyStats = (): RequestStats => ({ requests: 0, retries: 0, rateLimited: 0 });

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
/** Waits `ms`, or less when `signal` aborts (it then rejects with the signal's reason). */
export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : undefined);

/**
 * At most `perMinute` requests in any minute, spread evenly (a token bucket holding one second's worth,
 * so a burst never spends the whole minute's budget at once).
 */
export class RateLimiter {
  readonly #intervalMs: number;
  #nextAt = 0;

  constructor(
    perMinute: number,
    private readonly sleep: Sleep = realSleep,
    private readonly now: () => number = Date.now,
  ) {
    this.#intervalMs = 60_000 / perMinute;
  }

  /** Resolves when the next request may go. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.#nextAt);
    this.#nextAt = at + this.#intervalMs;
    if (at > now) await this.sleep(at - now, signal);
  }

  /** The vendor said to wait: no request goes before `ms` from now. */
  holdFor(ms: number): void {
    this.#nextAt = Math.max(this.#nextAt, this.now() + ms);
  }
}

/** Seconds (or an HTTP date) of a `Retry-After` header, in milliseconds; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: a random delay up to base x 2^(attempt-1), capped. */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface SendOptions {
  limiter: RateLimiter;
  retry: RetryPolicy;
  stats: RequestStats;
  sleep?: Sleep;
  /** Called before each retry (the CLI logs it). */
  onRetry?: (what: string) => void;
  /** Stops waiting and sending at once (shutdown, a lost lock): the request rejects with its reason. */
  signal?: AbortSignal;
}

/**
 * Sends a request built by `build` (called again for each attempt, so a renewed token is used) until it
 * gives a whole answer that is not `429`, `5xx` or a transport failure. Other answers (2xx, 4xx) are
 * returned to the caller, which knows what they mean, with their body already read.
 */
export async function sendWithRetries(what: string, build: () => Promise<Request> | Request, options: SendOptions): Promise<Response> {
  const sleep = options.sleep ?? realSleep;
  let lastProblem = '';
  const signal = options.signal;
  for (let attempt = 1; attempt <= options.retry.attempts; attempt++) {
    signal?.throwIfAborted();
    if (attempt > 1) {
      options.stats.retries += 1;
      options.onRetry?.(`${what}: ${lastProblem}; retry ${String(attempt - 1)} of ${String(options.retry.attempts - 1)}`);
    }
    await options.limiter.take(signal);
    options.stats.requests += 1;
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(options.retry.timeoutMs);
      const answer = await fetch(await build(), { signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
      // The whole body is read here, so an answer cut off half-way is retried like a refused connection.
      const body = answer.status === 429 || answer.status >= 500 ? null : await answer.arrayBuffer();
      if (body === null) await answer.body?.cancel();
      response = new Response(body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
    } catch (error) {
      signal?.throwIfAborted();
      lastProblem = describeTransportError(error);
      if (attempt < options.retry.attempts) await sleep(backoffMs(attempt, options.retry), signal);
      continue;
    }
    if (response.status === 429) {
      options.stats.rateLimited += 1;
      const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoffMs(attempt, options.retry);
      lastProblem = `rate limited (429, Retry-After ${response.headers.get('retry-after') ?? 'absent'})`;
      if (wait > options.retry.maxRetryAfterMs) {
        throw new VendorUnavailableError(`${what}: ${lastProblem}, longer than the ${String(options.retry.maxRetryAfterMs / 1000)} s this run waits`);
      }
      options.limiter.holdFor(wait);
      continue;
    }
    if (response.status >= 500) {
      lastProblem = `HTTP ${String(response.status)}`;
      if (attempt < options.retry.attempts) await sleep(backoffMs(attempt, options.retry), signal);
      continue;
    }
    return response;
  }
  throw new VendorUnavailableError(`${what}: ${lastProblem} after ${String(options.retry.attempts)} attempts`);
}

function describeTransportError(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'no answer in time';
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `cannot connect (${cause.code})`;
  const message = error instanceof Error ? error.message : String(error);
  return cause?.message ? `${message} (${cause.message})` : message;
}

/** A response body as JSON; a body that is not JSON is the vendor's fault, not ours. */
export async function readJson(response: Response, url: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new VendorResponseError(
      `the answer is not JSON (HTTP ${String(response.status)}, ${String(text.length)} bytes: ${JSON.stringify(text.slice(0, 80))})`,
      url,
    );
  }
}
