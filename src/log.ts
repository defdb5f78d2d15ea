// The gateway's logs: one JSON object per line (pino; warnings and errors on stderr, the rest on stdout), at LOG_LEVEL, each line of a request
// carrying its `requestId` (the client's `X-Request-ID` when it sends a sane one, else a new UUID, and
// echoed in the response). What goes in is chosen, not dumped: never a header, a key, a query's
// variables or a vendor document; an error is its name, code and first line plus its stack frames
// (Prisma puts the data of a failed call on the lines after the first).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The request a line is logged within (set by the HTTP server around each request). */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Fields that must never appear, wherever a careless call puts them. */
const REDACTED = [
  'authorization',
  '*.authorization',
  'headers',
  '*.headers',
  'key',
  '*.key',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'variables',
  '*.variables',
];

export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'parley' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED, censor: '[redacted]' },
      mixin: () => {
        const context = requestContext.getStore();
        return context ? { requestId: context.requestId } : {};
      },
    },
    // Warnings and errors on stderr, the rest on stdout: each line once (dedupe), so a process manager
    // that treats the streams apart still sees every line.
    destination ??
      pino.multistream(
        [
          { level: 'trace', stream: process.stdout },
          { level: 'warn', stream: process.stderr },
        ],
        { dedupe: true },
      ),
  );
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's request id when it is a plain token, else a new one. */
export function requestIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** What a log line says of an error. */
export function errorFields(error: unknown): { err: { type: string; message: string; code?: string; sqlState?: string; stack?: string } } {
  if (!(error instanceof Error)) return { err: { type: typeof error, message: 'a value that is not an Error was thrown' } };
  const code = (error as { code?: unknown }).code;
  // A database error's SQLSTATE (from Prisma's driver adapter): what failed, without the message that
  // may quote a value.
  const meta = (error as { meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
  const sqlState = meta?.driverAdapterError?.cause?.originalCode ?? meta?.code;
  // Prisma's errors name themselves through Symbol.toStringTag; some wrappers lose `name`.
  const tag = Object.prototype.toString.call(error).slice(8, -1);
  const type = tag !== 'Error' && tag !== 'Object' ? tag : error.name;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
  return {
    err: {
      type,
      message: (error.message.split('\n').find((line) => line.trim() !== '') ?? '').slice(0, 300),
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState) ? { sqlState } : {}),
      ...(frames ? { stack: frames } : {}),
    },
  };
}
