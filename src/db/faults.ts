// What a database error means for the caller, by principle rather than by a list of outages:
// - `rejection`: provably the item's own fault — the database refused a value it was given (SQLSTATE
//   class 22, data exception: a value out of range, a malformed or unencodable value; class 23,
//   integrity constraint violation, but for unique violations; class 54, a value past a limit of the
//   database, such as a key too long to index). Only these reject an item at once; an item that fails
//   alone with an error nobody foresaw while the items around it are stored is rejected too (that is
//   proof enough it is its own), but never for an outage.
// - `conflict`: the transaction lost a race (serialisation failure, deadlock, a unique violation under
//   our per-session locks): the writer runs it again.
// - `unavailable`: the database cannot be used now. Every error on connecting, whatever its code (the
//   server ends the session: severity FATAL or PANIC — refused connections during maintenance 55000,
//   too many connections 53300, a database being shut down 57P03 — or the socket fails); a connection
//   lost mid-statement; a write refused because the server is read-only or in recovery (25006, as a
//   primary turned standby answers every write after a failover); Prisma's own connection and pool codes.
// - `unknown`: anything else. Like an outage it is retryable: only a rejection tells a sender to drop
//   an item, and a sender that retries an unknown error loses nothing (ingest is idempotent).
//
// Errors reach us three ways: Prisma's known-request errors carrying the driver adapter's error in
// `meta.driverAdapterError.cause` ({ kind, originalCode, severity }), Prisma's own codes (P1xxx
// connection, P2024 pool timeout, P2028 transaction API), and raw `pg`/Node socket errors.

export type DatabaseErrorClass = 'rejection' | 'conflict' | 'unavailable' | 'unknown';

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

/** Driver adapter error kinds that name a value the database refused (the item's data). */
const REJECTION_KINDS = new Set([
  'LengthMismatch',
  'ValueOutOfRange',
  'NullConstraintViolation',
  'ForeignKeyConstraintViolation',
  'InvalidInputValue',
  'MissingFullTextSearchIndex',
]);

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'EAI_AGAIN',
]);

/**
 * SQLSTATE classes of an outage: 08 connection exception, 53 insufficient resources (too many
 * connections, disk full), 57 operator intervention (admin shutdown, crash shutdown, cannot connect
 * now, query cancelled by a restart), 58 system error, XX internal error.
 */
const UNAVAILABLE_SQLSTATE_CLASSES = new Set(['08', '53', '57', '58', 'XX']);

/**
 * SQLSTATE classes of a value the database refused: 22 data exception, 23 integrity constraint
 * violation (unique violations aside: a race), 54 program limit exceeded (a value too large to index).
 */
const REJECTION_SQLSTATE_CLASSES = new Set(['22', '23', '54']);

/** A write refused because the server is read-only: a standby, or a primary demoted by a failover. */
const READ_ONLY_SQLSTATES = new Set(['25006']);

/** Serialisation failure, deadlock, and a unique violation (two writers raced to insert one key). */
const CONFLICT_SQLSTATES = new Set(['40001', '40P01', '23505']);

/** Severities with which the server ends the session: every error on connecting has one. */
const SESSION_ENDING_SEVERITIES = new Set(['FATAL', 'PANIC']);

const CONNECTION_LOST_MESSAGE =
  /Connection terminated|connection (was )?closed|terminating connection|Client has encountered a connection error|Can't reach database server|server closed the connection|timeout exceeded when trying to connect/i;

interface Signals {
  kinds: string[];
  sqlstates: string[];
  severities: string[];
  codes: string[];
  messages: string[];
  /** Something in the chain is a database error at all (a Prisma error, a driver error, a socket error). */
  database: boolean;
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
}

/** Walks the error, its `cause` chain, GraphQL's `originalError` and Prisma's `meta.driverAdapterError`, collecting what they say. */
function signalsOf(error: unknown): Signals {
  const signals: Signals = { kinds: [], sqlstates: [], severities: [], codes: [], messages: [], database: false };
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = record(pending.pop());
    if (current === null || seen.has(current)) continue;
    seen.add(current);
    const name = typeof current.name === 'string' ? current.name : '';
    // (A PrismaClientValidationError is a query Parley built wrong, before any database was asked.)
    if ((name.startsWith('PrismaClient') && name !== 'PrismaClientValidationError') || name === 'DriverAdapterError' || name === 'DatabaseError') {
      signals.database = true;
    }
    if (typeof current.kind === 'string') signals.kinds.push(current.kind);
    if (typeof current.originalCode === 'string') signals.sqlstates.push(current.originalCode);
    if (typeof current.severity === 'string') signals.severities.push(current.severity.toUpperCase());
    if (typeof current.code === 'string') {
      // SQLSTATEs are five characters of digits and capitals; Prisma's are P + 4 digits; Node's are E....
      if (/^[0-9A-Z]{5}$/.test(current.code) && !/^P\d{4}$/.test(current.code)) signals.sqlstates.push(current.code);
      signals.codes.push(current.code);
    }
    if (typeof current.message === 'string') signals.messages.push(current.message);
    pending.push(current.cause, current.originalError, record(current.meta)?.driverAdapterError);
  }
  if (
    signals.kinds.length > 0 ||
    signals.sqlstates.length > 0 ||
    signals.codes.some((c) => /^P\d{4}$/.test(c) || UNAVAILABLE_NODE_CODES.has(c)) ||
    // pg's own words for a socket lost mid-query come as a bare Error.
    signals.messages.some((m) => CONNECTION_LOST_MESSAGE.test(m))
  ) {
    signals.database = true;
  }
  return signals;
}

export function classifyDatabaseError(error: unknown): DatabaseErrorClass {
  const { kinds, sqlstates, severities, codes, messages } = signalsOf(error);
  if (
    severities.some((s) => SESSION_ENDING_SEVERITIES.has(s)) ||
    kinds.some((k) => UNAVAILABLE_KINDS.has(k)) ||
    codes.some((c) => /^P1\d{3}$/.test(c) || c === 'P2024' || c === 'P2028' || UNAVAILABLE_NODE_CODES.has(c)) ||
    sqlstates.some((s) => UNAVAILABLE_SQLSTATE_CLASSES.has(s.slice(0, 2)) || READ_ONLY_SQLSTATES.has(s)) ||
    messages.some((m) => CONNECTION_LOST_MESSAGE.test(m))
  ) {
    return 'unavailable';
  }
  if (
    sqlstates.some((s) => CONFLICT_SQLSTATES.has(s)) ||
    kinds.includes('TransactionWriteConflict') ||
    kinds.includes('UniqueConstraintViolation') ||
    codes.includes('P2034')
  ) {
    return 'conflict';
  }
  if (sqlstates.some((s) => REJECTION_SQLSTATE_CLASSES.has(s.slice(0, 2))) || kinds.some((k) => REJECTION_KINDS.has(k))) return 'rejection';
  return 'unknown';
}

/** Whether `error` comes from the database or the way to it (and not from Parley's own code). */
export function isDatabaseError(error: unknown): boolean {
  return signalsOf(error).database;
}

/**
 * What a caller tells its client about a database error: whether the item (or the request) is at
 * fault, or the request should simply be sent again. Everything but a rejection is retryable.
 */
export function isRetryable(error: unknown): boolean {
  return classifyDatabaseError(error) !== 'rejection';
}

/**
 * The database could not take the write (or answer): nothing of the chunk in flight was stored.
 * Callers answer HTTP 503 with Retry-After (GraphQL: SERVICE_UNAVAILABLE); the CLIs exit 3.
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

/** The same error for any failure that is not the client's fault: retry after RETRY_AFTER_SECONDS. */
export function unavailable(cause: unknown, what = 'the database could not take the request'): DatabaseUnavailableError {
  return cause instanceof DatabaseUnavailableError ? cause : new DatabaseUnavailableError(what, RETRY_AFTER_SECONDS, { cause });
}

/** A rejected item's reason when the database refused one of its values: what kind of value, never the driver's message. */
export function refusedValue(error: unknown): string {
  const sqlstate = signalsOf(error).sqlstates.find((s) => REJECTION_SQLSTATE_CLASSES.has(s.slice(0, 2)));
  const why = sqlstate?.startsWith('23')
    ? 'a value the database constraints refuse'
    : sqlstate?.startsWith('54')
      ? 'a value too large for the database (a key too long to index)'
      : 'a value the database cannot hold (out of its range, or a character it cannot store)';
  return `could not be stored: it holds ${why}${sqlstate ? ` (SQLSTATE ${sqlstate})` : ''}; nothing of it was written`;
}
