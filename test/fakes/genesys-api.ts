// A local Genesys Cloud, written from its public API documentation (developer.genesys.cloud and the
// platform SDKs' AnalyticsApi / ArchitectApi / OAuth code), never the real service:
//   POST /oauth/token                    client credentials (Basic client_id:client_secret), expiring tokens
//   GET  /api/v2/flows                   type=bot&type=digitalbot, pageNumber/pageSize, FlowEntityListing
//   GET  /api/v2/analytics/botflows/{id}/sessions                      interval on dateCompleted, newest first
//   GET  /api/v2/analytics/botflows/{id}/divisions/reportingturns      grouped by session, newest first
//   GET  /api/v2/externalcontacts/contacts/{id}/journey/sessions        SessionListing, no time window
// Analytics listings page with an opaque `after` cursor and a relative `nextUri`, absent on the last
// page; `pageSize` defaults to 50 and may not exceed 250. Each token gets `ratePerWindow` requests per
// window, then 429 with `Retry-After` and Genesys' normalised body. Faults can be queued per path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeVendorServer, readBody, sendJson, type Answer, type RecordedRequest } from './vendor-server.js';

export type { Fault, RecordedRequest } from './vendor-server.js';

export interface FakeSession {
  id: string;
  flow: { id: string; name?: string };
  dateCreated: string;
  dateCompleted?: string;
  [field: string]: unknown;
}

export interface FakeTurn {
  sessionId: string;
  dateCreated: string;
  [field: string]: unknown;
}

export interface FakeGenesysOptions {
  clientId?: string;
  clientSecret?: string;
  /** The token's `expires_in`. */
  expiresInSeconds?: number;
  /** A token stops working after this many API requests (as if it expired early); null: never. */
  tokenRequestLimit?: number | null;
  /** Requests each token may send per window before 429. */
  ratePerWindow?: number;
  windowMs?: number;
  /** Flows per page at most (the Flows API), to exercise its paging. */
  maxFlowsPageSize?: number;
}

const errorBody = (status: number, code: string, message: string) => ({ message, code, status, contextId: 'fake-context', details: [], errors: [] });

export class FakeGenesys extends FakeVendorServer {
  readonly sessions: FakeSession[] = [];
  readonly turns: FakeTurn[] = [];
  readonly flows: { id: string; name: string; type: string }[] = [];
  /** Journey sessions by external contact id (`SessionListing` order: as pushed). */
  readonly journeySessions = new Map<string, Record<string, unknown>[]>();
  protected readonly tokenPath = '/oauth/token';
  readonly #tokens = new Map<string, { expiresAt: number; used: number; window: { start: number; count: number } }>();
  readonly #options: Required<FakeGenesysOptions>;

  constructor(options: FakeGenesysOptions = {}) {
    super();
    this.#options = {
      clientId: 'parley-client',
      clientSecret: 'parley-secret',
      expiresInSeconds: 86_400,
      tokenRequestLimit: null,
      ratePerWindow: 1_000_000,
      windowMs: 60_000,
      maxFlowsPageSize: 500,
      ...options,
    };
  }

  apiRequests(path?: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/api/') && (!path || path.test(r.path)));
  }

  protected errorBody(status: number, message: string): unknown {
    return errorBody(status, status === 500 ? 'internal.server.error' : 'fake.fault', message);
  }

  protected async token(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const body = await readBody(req);
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    if (req.method !== 'POST' || new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
      sendJson(res, 400, { error: 'unsupported_grant_type', description: 'grant type not supported', error_description: 'grant type not supported' });
      return 400;
    }
    if (id !== this.#options.clientId || secret !== this.#options.clientSecret) {
      const description = id === this.#options.clientId ? 'authentication failed' : 'client not found';
      sendJson(res, 400, { error: 'invalid_client', description, error_description: description });
      return 400;
    }
    const token = `token-${String(this.tokenRequests)}-${Math.random().toString(36).slice(2)}`;
    this.#tokens.set(token, { expiresAt: Date.now() + this.#options.expiresInSeconds * 1000, used: 0, window: { start: Date.now(), count: 0 } });
    sendJson(res, 200, { access_token: token, token_type: 'bearer', expires_in: this.#options.expiresInSeconds });
    return 200;
  }

  protected authorise(req: IncomingMessage): Answer | null {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const state = token === undefined ? undefined : this.#tokens.get(token);
    const limit = this.#options.tokenRequestLimit;
    if (!state || state.expiresAt <= Date.now() || (limit !== null && state.used >= limit)) {
      return { status: 401, body: errorBody(401, 'bad.credentials', 'Invalid login credentials.') };
    }
    state.used += 1;
    const now = Date.now();
    if (now - state.window.start >= this.#options.windowMs) state.window = { start: now, count: 0 };
    state.window.count += 1;
    if (state.window.count > this.#options.ratePerWindow) {
      const seconds = Math.max(1, Math.ceil((state.window.start + this.#options.windowMs - now) / 1000));
      return {
        status: 429,
        body: errorBody(429, 'too.many.requests.retry.after', `Rate limit exceeded the maximum. Retry the request in [${String(seconds)}] seconds`),
        headers: { 'retry-after': String(seconds) },
      };
    }
    return null;
  }

  protected route(url: URL): { status: number; body: unknown } {
    if (url.pathname === '/api/v2/flows') return this.#flowsPage(url.searchParams);
    const contact = /^\/api\/v2\/externalcontacts\/contacts\/([^/]+)\/journey\/sessions$/.exec(url.pathname);
    if (contact) return this.#journeyPage(url, decodeURIComponent(contact[1]!));
    const match = /^\/api\/v2\/analytics\/botflows\/([^/]+)\/(sessions|divisions\/reportingturns)$/.exec(url.pathname);
    if (!match) return { status: 404, body: errorBody(404, 'not.found', `no route ${url.pathname}`) };
    const flowId = decodeURIComponent(match[1]!);
    const q = url.searchParams;
    const pageSize = Number(q.get('pageSize') ?? '50');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 250) return { status: 400, body: errorBody(400, 'bad.request', 'pageSize must be 1 to 250') };
    const interval = q.get('interval');
    let start = -Infinity;
    let end = Infinity;
    if (interval !== null) {
      const [a, b] = interval.split('/');
      start = Date.parse(a ?? '');
      end = Date.parse(b ?? '');
      if (Number.isNaN(start) || Number.isNaN(end)) return { status: 400, body: errorBody(400, 'bad.request', `bad interval ${interval}`) };
    }
    const inInterval = (iso: string | undefined) => iso !== undefined && Date.parse(iso) >= start && Date.parse(iso) < end;
    const items: unknown[] =
      match[2] === 'sessions'
        ? this.sessions
            .filter((s) => s.flow.id === flowId && inInterval(s.dateCompleted))
            .sort((a, b) => Date.parse(b.dateCreated) - Date.parse(a.dateCreated) || b.id.localeCompare(a.id))
        : this.#turnsOf(flowId).filter((t) => inInterval(t.dateCreated));
    const offset = q.get('after') === null ? 0 : Number(Buffer.from(q.get('after')!, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) return { status: 400, body: errorBody(400, 'bad.request', 'bad after cursor') };
    const entities = items.slice(offset, offset + pageSize);
    const body: Record<string, unknown> = { entities, selfUri: `${url.pathname}${url.search}` };
    if (offset + pageSize < items.length) {
      const next = new URLSearchParams(q);
      next.set('after', Buffer.from(String(offset + pageSize), 'utf8').toString('base64url'));
      body.nextUri = `${url.pathname}?${next.toString()}`;
    }
    return { status: 200, body };
  }

  /** `SessionListing`: `pageSize` up to 200 (default 25 here), the `after` cursor, `nextUri` while more follow; 404 for an unknown contact. */
  #journeyPage(url: URL, contactId: string): { status: number; body: unknown } {
    const sessions = this.journeySessions.get(contactId);
    if (!sessions) return { status: 404, body: errorBody(404, 'not.found', `external contact ${contactId} not found`) };
    const q = url.searchParams;
    const pageSize = Number(q.get('pageSize') ?? '25');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) return { status: 400, body: errorBody(400, 'bad.request', 'pageSize must be 1 to 200') };
    const offset = q.get('after') === null ? 0 : Number(Buffer.from(q.get('after')!, 'base64url').toString('utf8'));
    const entities = sessions.slice(offset, offset + pageSize);
    const body: Record<string, unknown> = { entities, selfUri: `${url.pathname}${url.search}` };
    if (offset + pageSize < sessions.length) {
      const next = new URLSearchParams(q);
      next.set('after', Buffer.from(String(offset + pageSize), 'utf8').toString('base64url'));
      body.nextUri = `${url.pathname}?${next.toString()}`;
    }
    return { status: 200, body };
  }

  /** Turns of the flow's sessions, grouped by session, the most recent session first. */
  #turnsOf(flowId: string): FakeTurn[] {
    const sessions = new Map(this.sessions.filter((s) => s.flow.id === flowId).map((s) => [s.id, s]));
    const created = (t: FakeTurn) => Date.parse(sessions.get(t.sessionId)?.dateCreated ?? t.dateCreated);
    return this.turns
      .filter((t) => sessions.has(t.sessionId))
      .sort((a, b) => created(b) - created(a) || b.sessionId.localeCompare(a.sessionId) || Date.parse(a.dateCreated) - Date.parse(b.dateCreated));
  }

  #flowsPage(q: URLSearchParams): { status: number; body: unknown } {
    const types = q.getAll('type').flatMap((t) => t.split(','));
    const pageSize = Math.min(Number(q.get('pageSize') ?? '25'), this.#options.maxFlowsPageSize);
    const pageNumber = Number(q.get('pageNumber') ?? '1');
    const flows = this.flows.filter((f) => types.length === 0 || types.includes(f.type));
    const pageCount = Math.max(1, Math.ceil(flows.length / pageSize));
    return {
      status: 200,
      body: {
        entities: flows.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
        pageSize,
        pageNumber,
        total: flows.length,
        pageCount,
        ...(pageNumber < pageCount ? { nextUri: `/api/v2/flows?pageSize=${String(pageSize)}&pageNumber=${String(pageNumber + 1)}` } : {}),
      },
    };
  }
}
