// What a rate limit answers (./rate-limit.ts implements it with rate-limiter-flexible): its own module,
// so what only counts (the Authenticator's failed attempts) does not import the HTTP plugin beside it.

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until a request would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string): Promise<RateDecision>;
  close(): Promise<void>;
}
