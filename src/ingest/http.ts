// The ingest HTTP routes, served by the same Yoga instance as GraphQL (a Yoga plugin answers them
// before GraphQL sees the request).
import type { Plugin } from 'graphql-yoga';
import { principalOf } from '../auth/plugin.js';
import type { IncomingItem, IngestRoute } from './types.js';
import { INGEST_ROUTES } from './types.js';
import { BodyError, jsonBytes, ndjsonItems, readJsonBody } from './body.js';
import { ingestHandlers } from './handlers.js';
import { ingestItems, type ItemCounts, type PipelineDeps } from './pipeline.js';
import { errorResponse, jsonResponse, unavailableResponse } from '../answers.js';
import { DatabaseUnavailableError } from '../db/faults.js';
import { TenantBusyError } from '../security/tenant-work.js';
import { RequestBody } from './request-body.js';

const routeByPath = new Map<string, IngestRoute>(Object.entries(INGEST_ROUTES).map(([route, path]) => [path, route as IngestRoute]));

/** Routes whose vendor API wraps results in a page envelope `{ entities: [...], nextUri }`, accepted as sent. */
export const ENVELOPE_ROUTES: ReadonlySet<IngestRoute> = new Set(['genesys.botFlowSessions', 'genesys.reportingTurns']);

const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines']);

export { errorResponse };

export function isEnvelope(value: unknown): value is { entities: unknown[] } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as { entities?: unknown }).entities);
}

async function* jsonItems(route: IngestRoute, body: ReadableStream<Uint8Array> | null): AsyncGenerator<IncomingItem> {
  const parsed = await readJsonBody(body);
  if (parsed.kind === 'one' && !(ENVELOPE_ROUTES.has(route) && isEnvelope(parsed.value))) {
    yield { index: 0, value: parsed.value, bytes: parsed.bytes };
    return;
  }
  const values = parsed.kind === 'many' ? parsed.values : (parsed.value as { entities: unknown[] }).entities;
  for (const [index, value] of values.entries()) yield { index, value, bytes: jsonBytes(value) };
}

/** Query parameters a route passes on to its handler (Einstein: the bot and session a response belongs to). */
const CONTEXT_PARAMETERS = ['botId', 'sessionId'] as const;

function contextOf(url: URL): Map<string, string> {
  const params = new Map<string, string>();
  for (const name of CONTEXT_PARAMETERS) {
    const value = url.searchParams.get(name);
    if (value !== null && value !== '') params.set(name, value);
  }
  return params;
}

const UNAVAILABLE_MESSAGE =
  'the database is unavailable; nothing of the chunk in flight was stored. Retry the request: ingest is idempotent, so items stored before the outage come back `unchanged`.';

/** A database outage: nothing of the chunk in flight was stored, so the sender must retry (idempotent). */
function retryLater(error: DatabaseUnavailableError, headers: Record<string, string> = {}): Response {
  const response = unavailableResponse({ message: UNAVAILABLE_MESSAGE, retryAfterSeconds: error.retryAfterSeconds });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export async function handleIngestRequest(deps: PipelineDeps, route: IngestRoute, request: Request): Promise<Response> {
  if (request.method !== 'POST') {
    return errorResponse(405, 'METHOD_NOT_ALLOWED', 'ingest routes take POST', {}, { allow: 'POST' });
  }
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // A streamed body is read as it arrives, and read to its end (bounded) when the answer comes before it
  // does, so the client is reading when the answer reaches it. (A JSON body is read whole first.)
  let body: RequestBody | null = null;
  let items: AsyncIterable<IncomingItem>;
  if (mediaType === 'application/json') items = jsonItems(route, request.body);
  else if (NDJSON_TYPES.has(mediaType)) {
    body = new RequestBody(request.body);
    items = ndjsonItems(body.chunks());
  } else {
    return errorResponse(415, 'UNSUPPORTED_MEDIA_TYPE', `send application/json or application/x-ndjson (got "${mediaType || 'no content type'}")`);
  }
  try {
    const report = await ingestItems(deps, ingestHandlers[route], items, { context: { params: contextOf(new URL(request.url)) } });
    const allRejected = report.accepted === 0 && report.rejectedCount > 0;
    return jsonResponse(allRejected ? 422 : 200, report);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) {
      // An outage mid-upload: the client is still sending. Answering now and closing would reset the
      // connection under a client that has not read the answer yet (its Retry-After lost with it), so
      // the rest of the body is read and dropped first, within bounds; past them, the connection closes.
      const drained = (await body?.drain()) ?? true;
      return retryLater(error, drained ? {} : { connection: 'close' });
    }
    if (error instanceof TenantBusyError) {
      // The tenant's own ingest already fills its share: slow down, and send the rest again.
      const drained = (await body?.drain()) ?? true;
      return errorResponse(
        429,
        'RATE_LIMITED',
        `${error.message}; nothing of the chunk in flight was stored, and items acknowledged before it come back \`unchanged\``,
        { retryAfterSeconds: error.retryAfterSeconds },
        { 'retry-after': String(error.retryAfterSeconds), ...(drained ? {} : { connection: 'close' }) },
      );
    }
    if (error instanceof BodyError) {
      const code = { 400: 'MALFORMED_BODY', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' }[error.status];
      return errorResponse(error.status, code, error.message, error.byteOffset === undefined ? {} : { byteOffset: error.byteOffset });
    }
    // Unforeseen (answered 503 by the plugin): the client still gets to read the answer.
    await body?.drain();
    throw error;
  }
}

/** Answers `/ingest/...` before GraphQL does (after the auth plugin); any other path goes on to Yoga. */
export function ingestPlugin(base: Omit<PipelineDeps, 'tenantId' | 'onItems'> & { countItems?: (route: IngestRoute, counts: ItemCounts) => void }): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith('/ingest/')) return;
      const route = routeByPath.get(url.pathname.replace(/\/+$/, ''));
      if (!route) {
        endResponse(errorResponse(404, 'NOT_FOUND', `no ingest route ${url.pathname}; see README for the routes`));
        return;
      }
      const principal = principalOf(request);
      if (!principal) {
        endResponse(errorResponse(401, 'UNAUTHENTICATED', 'send an API key as `Authorization: Bearer <key>`'));
        return;
      }
      if (!principal.scopes.has('ingest')) {
        endResponse(errorResponse(403, 'FORBIDDEN', 'this API key lacks the `ingest` scope'));
        return;
      }
      try {
        // Whatever the documents say, they are written into the key's own tenant.
        const { countItems, ...deps } = base;
        const onItems = countItems === undefined ? undefined : (counts: ItemCounts) => countItems(route, counts);
        endResponse(await handleIngestRequest({ ...deps, tenantId: principal.tenantId, ...(onItems ? { onItems } : {}) }, route, request));
      } catch (error) {
        // Nothing foreseen: not the sender's fault either, so it is told to retry (ingest is idempotent),
        // and operators are told what happened.
        (base.logError ?? console.error)(error);
        endResponse(
          unavailableResponse({
            message: 'the batch could not be processed; items acknowledged in earlier chunks are stored. Retry the request: ingest is idempotent.',
          }),
        );
      }
    },
  };
}
