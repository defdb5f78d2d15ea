// What a database error means for the caller. A database that is down, restarting, out of connections
// or dropping them is an outage: the request should be retried later, and nothing it carried may be
// reported as stored or as rejected. A write conflict (deadlock, serialisation failure) is retried by
// the writer itself. Anything else is a fault of the statement or its data.
//
// Errors reach us three ways: Prisma's known-request errors carrying the driver adapter's error in
// `meta.driverAdapterError.cause` ({ kind, originalCode }), Prisma's own connection codes (P1xxx,
// P2024 pool timeout), and raw `pg`/Node socket errors (`code: 'ECONNREFUSED'`, SQLSTATE `code`).

export type DatabaseErrorClass = 'unavailable' | 'conflict' | 'other';

/** Driver adapter error kinds (@prisma/driver-adapter-utils) that mean the database cannot be used now. */
const UNAVAILABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
  'AuthenticationFailed',
  'DatabaseDoesNotExist',
  'DatabaseAccessDenied',
  'TransactionAlreadyClosed',
]);

/** Prisma client codes for the same: can't reach, timed out, connection closed, pool exhausted, transaction API. */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1011', 'P1017', 'P2024', 'P2028']);

const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNABORTED']);

/**
 * SQLSTATE classes of an outage: 08 connection exception, 53 insufficient resources (too many
 * connections, disk full), 57 operator intervention (admin shutdown, crash shutdown, cannot connect
 * now, query cancelled by a restart), 58 system error.
 */
const UNAVAILABLE_SQLSTATE_CLASSES = new Set(['08', '53', '57', '58']);

/** Serialisation failure and deadlock: the transaction lost a race and can simply run again. */
const CONFLICT_SQLSTATES = new Set(['40001', '40P01']);

const CONNECTION_LOST_MESSAGE =
  /Connection terminated|connection (was )?closed|terminating connection|Client has encountered a connection error|Can't reach database server|server closed the connection/i;

interface Signals {
  kinds: string[];
  sqlstates: string[];
  codes: string[];
  messages: string[];
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
}

/** Walks the error, its `cause` chain and Prisma's `meta.driverAdapterError`, collecting what they say. */
function signalsOf(error: unknown): Signals {
  const signals: Signals = { kinds: [], sqlstates: [], codes: [], messages: [] };
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = record(pending.pop());
    if (current === null || seen.has(current)) continue;
    seen.add(current);
    if (typeof current.kind === 'string') signals.kinds.push(current.kind);
    if (typeof current.originalCode === 'string') signals.sqlstates.push(current.originalCode);
    if (typeof current.code === 'string') {
      // SQLSTATEs are five characters of digits and capitals; Prisma's are P + 4 digits; Node's are E....
      if (/^[0-9A-Z]{5}$/.test(current.code) && !/^P\d{4}$/.test(current.code)) signals.sqlstates.push(current.code);
      signals.codes.push(current.code);
    }
    if (typeof current.message === 'string') signals.messages.push(current.message);
    pending.push(current.cause, record(current.meta)?.driverAdapterError);
  }
  return signals;
}

export function classifyDatabaseError(error: unknown): DatabaseErrorClass {
  const { kinds, sqlstates, codes, messages } = signalsOf(error);
  if (sqlstates.some((s) => CONFLICT_SQLSTATES.has(s)) || kinds.includes('TransactionWriteConflict') || codes.includes('P2034')) return 'conflict';
  if (
    kinds.some((k) => UNAVAILABLE_KINDS.has(k)) ||
    codes.some((c) => UNAVAILABLE_PRISMA_CODES.has(c) || UNAVAILABLE_NODE_CODES.has(c)) ||
    sqlstates.some((s) => UNAVAILABLE_SQLSTATE_CLASSES.has(s.slice(0, 2))) ||
    messages.some((m) => CONNECTION_LOST_MESSAGE.test(m))
  ) {
    return 'unavailable';
  }
  return 'other';
}

/**
 * The database could not take the write: nothing of the chunk in flight was stored. Callers answer
 * HTTP 503 with Retry-After (GraphQL: SERVICE_UNAVAILABLE); the import CLI stops with exit 3.
 */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  constructor(
    message: string,
    /** Seconds a client should wait before retrying. */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How long clients are told to wait before retrying after an outage. */
export const RETRY_AFTER_SECONDS = 5;
