// The Einstein recording proxy: `/proxy/einstein/<path>` forwards to `EINSTEIN_RUNTIME_URL/<path>` exactly
// what the chat front end sent (method, path, query, body, headers such as Authorization, X-Org-Id,
// X-Request-ID, X-Session-End-Reason) and returns Salesforce's answer unchanged (status, headers, body
// bytes, compressed or not). Parley's own key travels in X-Parley-Key. Once the answer is on its way, the
// exchange is recorded through the ingest pipeline (./record.ts); a recording that fails — the database
// away, a body Parley cannot read — is logged and counted, and never touches the exchange.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import { PARLEY_KEY_HEADER, principalOf } from '../../auth/plugin.js';
import type { Prisma } from '../../db/client.js';
import { errorResponse } from '../../ingest/http.js';
import { ingestItems } from '../../ingest/pipeline.js';
import type { EventBus } from '../../live/events.js';
import type { IngestHandler } from '../../ingest/ops.js';
import { einsteinSessionsHandler } from '../../vendors/einstein/ingest.js';
import type { EinsteinBotSession } from '../../vendors/einstein/model.js';
import { isRecordable, recordingOf, sessionOfCall } from './record.js';

export const EINSTEIN_PROXY_PREFIX = '/proxy/einstein';

/** The runtime API's bodies are small JSON documents; anything larger is refused before forwarding. */
const MAX_BODY_BYTES = 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 60_000;

// Hop-by-hop headers (RFC 9110 §7.6.1) are the connection's, not the message's; `host` is the target's.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

export type RecordingResult = 'recorded' | 'rejected' | 'failed' | 'skipped';

export interface EinsteinProxyOptions {
  runtimeUrl: string | null;
  prisma: Prisma;
  events: EventBus;
  log: (line: string) => void;
  /** Counts what became of each exchange's recording (metrics). */
  countRecording?: (result: RecordingResult) => void;
}

interface Upstream {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends the request with Node's own client, so the answer's bytes come back as they were sent. */
function forward(target: URL, method: string, headers: Record<string, string>, body: Buffer | null): Promise<Upstream> {
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method, headers, timeout: UPSTREAM_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${String(UPSTREAM_TIMEOUT_MS / 1000)} s`)));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

// Runtime API bodies are a few KB; a compressed body that would expand past this is not recorded.
const MAX_DECODED_BYTES = 8 * 1024 * 1024;
const decoders: Record<string, (body: Buffer) => Buffer> = {
  gzip: (body) => gunzipSync(body, { maxOutputLength: MAX_DECODED_BYTES }),
  'x-gzip': (body) => gunzipSync(body, { maxOutputLength: MAX_DECODED_BYTES }),
  deflate: (body) => inflateSync(body, { maxOutputLength: MAX_DECODED_BYTES }),
  br: (body) => brotliDecompressSync(body, { maxOutputLength: MAX_DECODED_BYTES }),
};

function jsonOf(body: Buffer, encoding: string | undefined): unknown {
  if (body.length === 0) return null;
  const name = encoding?.trim().toLowerCase();
  const decode = name && name !== 'identity' ? decoders[name] : undefined;
  if (name && name !== 'identity' && !decode) throw new Error(`cannot read a body encoded as ${name}`);
  const plain = decode ? decode(body) : body;
  return JSON.parse(plain.toString('utf8')) as unknown;
}

/** The request's body, refused past `max` bytes without reading the rest. */
async function readAtMost(request: Request, max: number): Promise<Buffer | 'too large'> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > max) return 'too large';
  const chunks: Buffer[] = [];
  let size = 0;
  if (request.body === null) return Buffer.alloc(0);
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return 'too large';
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/**
 * The runtime handler, except that the bot's messages of a session not stored yet wait for it instead of
 * being refused for lack of a bot id: a client's next call can be recorded (on another gateway process)
 * before its start-session call is.
 */
const recordingHandler: IngestHandler<EinsteinBotSession> = {
  validate: einsteinSessionsHandler.validate,
  toOp: (document, receivedAt, context) => {
    const op = einsteinSessionsHandler.toOp(document, receivedAt, context);
    return op.type === 'messages' && 'reject' in op.whenMissing ? { ...op, whenMissing: { pend: true } } : op;
  },
};

export function einsteinProxyPlugin(options: EinsteinProxyOptions): Plugin {
  // Recordings of one session run one after another in this process, in the order of the calls.
  const queues = new Map<string, Promise<void>>();
  const inOrder = (key: string, work: () => Promise<void>): Promise<void> => {
    const next = (queues.get(key) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => {});
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  };

  const record = async (tenantId: string, exchange: Parameters<typeof recordingOf>[0]) => {
    const recording = recordingOf(exchange);
    if (recording === null) {
      options.countRecording?.('skipped');
      return;
    }
    const report = await ingestItems(
      { prisma: options.prisma, events: options.events, tenantId, logError: (e) => options.log(`einstein proxy: ${String(e)}`) },
      recordingHandler,
      [{ index: 0, value: recording.document, bytes: 0 }],
      { context: { params: recording.params } },
    );
    if (report.rejectedCount > 0) {
      const why = report.rejected.map((r) => `${r.path} ${r.message}`).join('; ');
      options.log(`einstein proxy: not recorded: ${exchange.method} ${exchange.path}: ${why}`);
      options.countRecording?.('rejected');
      return;
    }
    options.countRecording?.('recorded');
  };

  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== EINSTEIN_PROXY_PREFIX && !url.pathname.startsWith(`${EINSTEIN_PROXY_PREFIX}/`)) return;
      if (options.runtimeUrl === null) {
        endResponse(errorResponse(404, 'NOT_FOUND', 'the Einstein recording proxy is off: set EINSTEIN_RUNTIME_URL (README, "Connectors")'));
        return;
      }
      // The auth plugin answered 401 (or 503) for a request without a key it could verify.
      const principal = principalOf(request);
      if (!principal) {
        endResponse(errorResponse(401, 'UNAUTHENTICATED', 'send a Parley API key as `X-Parley-Key: <key>`'));
        return;
      }
      if (!principal.scopes.has('ingest')) {
        endResponse(errorResponse(403, 'FORBIDDEN', 'this API key lacks the `ingest` scope the recording proxy needs'));
        return;
      }
      const path = url.pathname.slice(EINSTEIN_PROXY_PREFIX.length) || '/';
      const target = new URL(`${options.runtimeUrl}${path}${url.search}`);
      const read = request.method === 'GET' || request.method === 'HEAD' ? null : await readAtMost(request, MAX_BODY_BYTES);
      if (read === 'too large') {
        endResponse(errorResponse(413, 'PAYLOAD_TOO_LARGE', `the recording proxy forwards bodies of at most ${String(MAX_BODY_BYTES)} bytes`));
        return;
      }
      const body = read;
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name) && name !== PARLEY_KEY_HEADER && name !== 'content-length') headers[name] = value;
      });
      if (body !== null) headers['content-length'] = String(body.length);
      let upstream: Upstream;
      try {
        upstream = await forward(target, request.method, headers, body);
      } catch (error) {
        options.log(`einstein proxy: ${request.method} ${target.origin}${path}: ${error instanceof Error ? error.message : String(error)}`);
        // Why is logged above; the caller is told what, not the socket's words (they name hosts and addresses).
        endResponse(errorResponse(502, 'BAD_GATEWAY', 'the Einstein Bot Runtime API could not be reached; retry later'));
        return;
      }
      const answer = new Headers();
      for (const [name, value] of Object.entries(upstream.headers)) {
        if (value === undefined || HOP_BY_HOP.has(name)) continue;
        for (const v of Array.isArray(value) ? value : [value]) answer.append(name, v);
      }
      endResponse(
        new Response(upstream.status === 204 || upstream.status === 304 ? null : new Uint8Array(upstream.body), {
          status: upstream.status,
          statusText: upstream.statusText,
          headers: answer,
        }),
      );

      // Recorded once the answer has gone (the next turn of the event loop): nothing here can delay or
      // change it. Only a successful call the recorder reads has its bodies decoded.
      if (!isRecordable(request.method, path) || upstream.status < 200 || upstream.status >= 300) {
        options.countRecording?.('skipped');
        return;
      }
      const tenantId = principal.tenantId;
      const method = request.method;
      const requestEncoding = request.headers.get('content-encoding') ?? undefined;
      const endReason = request.headers.get('x-session-end-reason');
      const responseEncoding = [upstream.headers['content-encoding']].flat()[0];
      setImmediate(() => {
        let requestBody: unknown;
        let responseBody: unknown;
        try {
          requestBody = body === null || body.length === 0 ? null : jsonOf(body, requestEncoding);
          responseBody = jsonOf(upstream.body, responseEncoding);
        } catch (error) {
          options.log(`einstein proxy: not recorded: ${method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
          options.countRecording?.('failed');
          return;
        }
        // A session's recordings queue in the order of its calls.
        const sessionId = sessionOfCall(path, responseBody) ?? path;
        void inOrder(`${tenantId} ${sessionId}`, async () => {
          try {
            await record(tenantId, { method, path, requestBody, endReason, status: upstream.status, responseBody });
          } catch (error) {
            options.log(`einstein proxy: not recorded: ${method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
            options.countRecording?.('failed');
          }
        });
      });
    },
  };
}
