// Which database errors reject an item and which are retried: by principle, from what the errors say.
// The shapes are those Prisma 7 and its pg adapter really throw (captured from a PostgreSQL 15 made to
// refuse connections, go read-only, hit its connection limit, end a backend, refuse a value).
import { describe, expect, it } from 'vitest';
import { classifyDatabaseError, isDatabaseError, isRetryable, refusedValue } from '../../src/db/faults.js';

/** A PrismaClientKnownRequestError as the pg adapter reports a PostgreSQL error. */
function prismaError(cause: Record<string, unknown>, code = 'P2039'): Error {
  const error = new Error('Invalid `prisma.session.findMany()` invocation in /srv/parley/dist/queries/sessions.js:88:17');
  error.name = 'PrismaClientKnownRequestError';
  Object.assign(error, { code, meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } });
  return error;
}
const postgres = (code: string, message: string, severity = 'ERROR') =>
  prismaError({ originalCode: code, originalMessage: message, kind: 'postgres', code, severity, message });

describe('classifyDatabaseError', () => {
  it.each([
    // Every error on connecting ends the session (FATAL), whatever its code.
    ['refused connections during maintenance (55000, FATAL)', postgres('55000', 'database "parley" is not currently accepting connections', 'FATAL')],
    ['a database shutting down (57P03)', postgres('57P03', 'the database system is shutting down', 'FATAL')],
    ['any FATAL at connect, even a code never seen', postgres('XY123', 'something new', 'FATAL')],
    ['a backend terminated mid-statement (57P01)', postgres('57P01', 'terminating connection due to administrator command', 'FATAL')],
    ['read-only after a failover (25006)', postgres('25006', 'cannot execute INSERT in a read-only transaction')],
    ['too many connections (adapter kind)', prismaError({ originalCode: '53300', kind: 'TooManyConnections' })],
    ['an unreachable server (adapter kind)', prismaError({ kind: 'DatabaseNotReachable' })],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a pool timeout (P2024)', Object.assign(new Error('Timed out fetching a new connection'), { name: 'PrismaClientKnownRequestError', code: 'P2024' })],
    [
      'a transaction that could not start in time (P2028)',
      Object.assign(new Error('Unable to start a transaction'), { name: 'PrismaClientKnownRequestError', code: 'P2028' }),
    ],
  ])('%s is an outage', (_name, error) => {
    expect(classifyDatabaseError(error)).toBe('unavailable');
    expect(isRetryable(error)).toBe(true);
    expect(isDatabaseError(error)).toBe(true);
  });

  it.each([
    ['a NUL byte (22021)', postgres('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['a date out of range (22008)', postgres('22008', 'timestamp out of range')],
    ['a number out of range (adapter kind)', prismaError({ originalCode: '22003', kind: 'ValueOutOfRange' })],
    ['a check constraint (23514)', postgres('23514', 'new row violates check constraint')],
    ['a not-null constraint (adapter kind)', prismaError({ originalCode: '23502', kind: 'NullConstraintViolation' })],
    [
      'a key too long to index (54000)',
      postgres('54000', 'index row size 5360 exceeds btree version 4 maximum 2704 for index "Session_tenantId_kind_externalId_key"'),
    ],
  ])('%s is the item’s own fault: a rejection', (_name, error) => {
    expect(classifyDatabaseError(error)).toBe('rejection');
    expect(isRetryable(error)).toBe(false);
    expect(refusedValue(error)).toMatch(/^could not be stored: it holds a value .*\(SQLSTATE (2|5)\d...\); nothing of it was written$/);
  });

  it.each([
    ['a serialisation failure', prismaError({ originalCode: '40001', kind: 'TransactionWriteConflict' })],
    ['a deadlock', postgres('40P01', 'deadlock detected')],
    ['a unique violation (a race under the writer’s locks, not the item)', prismaError({ originalCode: '23505', kind: 'UniqueConstraintViolation' })],
  ])('%s is a conflict, run again', (_name, error) => {
    expect(classifyDatabaseError(error)).toBe('conflict');
    expect(isRetryable(error)).toBe(true);
  });

  it('calls anything else unknown, which is retried, never a rejection', () => {
    for (const error of [postgres('42P01', 'relation "Session" does not exist'), new TypeError('x is undefined'), 'a string', null]) {
      expect(classifyDatabaseError(error)).toBe('unknown');
      expect(isRetryable(error)).toBe(true);
    }
    expect(isDatabaseError(new TypeError('x is undefined'))).toBe(false);
    // A query Parley built wrong never reached a database.
    expect(isDatabaseError(Object.assign(new Error('Argument `where` is missing.'), { name: 'PrismaClientValidationError' }))).toBe(false);
  });

  it('follows GraphQL’s originalError and the cause chain', () => {
    const wrapped = Object.assign(new Error('Unexpected error.'), { originalError: new Error('outer', { cause: postgres('25006', 'read-only') }) });
    expect(classifyDatabaseError(wrapped)).toBe('unavailable');
  });
});

describe('pg’s bare errors', () => {
  it('knows a connection lost mid-query by its words, as pg gives no code', () => {
    const lost = new Error('Connection terminated unexpectedly');
    expect(isDatabaseError(lost)).toBe(true);
    expect(classifyDatabaseError(lost)).toBe('unavailable');
  });
});
