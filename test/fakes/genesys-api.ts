// A local Genesys Cloud, written from its public API documentation (developer.genesys.cloud and the
// platform SDKs' AnalyticsApi / ArchitectApi / OAuth code), never the real service:
//   POST /oauth/token                    client credentials (Basic client_id:client_secret), expiring tokens
//   GET  /api/v2/flows                   type=bot&type=digitalbot, pageNumber/pageSize, FlowEntityListing
//   GET  /api/v2/analytics/botflows/{id}/sessions                      interval on dateCompleted, newest first
//   GET  /api/v2/analytics/botflows/{id}/divisions/reportingturns      grouped by session, newest first
// Analytics listings page with an opaque `after` cursor and a relative `nextUri`, absent on the last
// page; `pageSize` defaults to 50 and may not exceed 250. Each token gets `ratePerWindow` requests per
// window, then 429 with `Retry-After` and Genesys' normalised body. Faults can be queued per path.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeNow, listenLocal } from './local-server.js';

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

export type Fault =
  | { kind: 'status'; status: number; body?: unknown; retryAfter?: string }
  /** A body that is not JSON. */
  | { kind: 'garbage' }
  /** Headers and half the body, then the connection is cut. */
  | { kind: 'cut' }
  /** The answer comes after `ms`. */
  | { kind: 'slow'; ms: number }
  /** Replaces the answer's body (e.g. a nextUri to elsewhere). */
  | { kind: 'body'; body: unknown };

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

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const errorBody = (status: number, code: string, message: string) => ({ message, code, status, contextId: 'fake-context', details: [], errors: [] });

export class FakeGenesys {
  readonly sessions: FakeSession[] = [];
  readonly turns: FakeTurn[] = [];
  readonly flows: { id: string; name: string; type: string }[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Token requests, granted or not. */
  tokenRequests = 0;
  readonly #faults: { path: RegExp; fault: Fault; times: number }[] = [];
  readonly #tokens = new Map<string, { expiresAt: number; used: number; window: { start: number; count: number } }>();
  readonly #options: Required<FakeGenesysOptions>;
  #server: Server | null = null;
  #port = 0;

  constructor(options: FakeGenesysOptions = {}) {
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

  get url(): string {
    return `http://127.0.0.1:${String(this.#port)}`;
  }

  /** Queues `fault` for the next `times` requests whose path matches. */
  fail(path: RegExp, fault: Fault, times = 1): void {
    this.#faults.push({ path, fault, times });
  }

  async start(port = 0): Promise<void> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        json(res, 500, errorBody(500, 'internal.server.error', String(error)));
      });
    });
    this.#port = await listenLocal(this.#server, port);
  }

  /** Stops answering: connections are refused until start() on the same port. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    await closeNow(server);
  }

  get port(): number {
    return this.#port;
  }

  apiRequests(path?: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/api/') && (!path || path.test(r.path)));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const record = (status: number) => this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, status });
    if (url.pathname === '/oauth/token') {
      this.tokenRequests += 1;
      const status = await this.#token(req, res);
      record(status);
      return;
    }
    const fault = this.#takeFault(url.pathname);
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    const auth = this.#authorise(req);
    if (auth !== null) {
      record(auth.status);
      json(res, auth.status, auth.body, auth.headers);
      return;
    }
    if (fault?.kind === 'status') {
      record(fault.status);
      json(res, fault.status, fault.body ?? errorBody(fault.status, 'fake.fault', 'injected'), fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
      return;
    }
    const answer = this.#route(url);
    record(answer.status);
    if (fault?.kind === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>Service temporarily unavailable</html>');
      return;
    }
    const text = JSON.stringify(fault?.kind === 'body' ? fault.body : answer.body);
    if (fault?.kind === 'cut') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(text);
  }

  #takeFault(path: string): Fault | null {
    const entry = this.#faults.find((f) => f.path.test(path) && f.times > 0);
    if (!entry) return null;
    entry.times -= 1;
    return entry.fault;
  }

  async #token(req: IncomingMessage, res: ServerResponse): Promise<number> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    if (req.method !== 'POST' || new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
      json(res, 400, { error: 'unsupported_grant_type', description: 'grant type not supported', error_description: 'grant type not supported' });
      return 400;
    }
    if (id !== this.#options.clientId || secret !== this.#options.clientSecret) {
      const description = id === this.#options.clientId ? 'authentication failed' : 'client not found';
      json(res, 400, { error: 'invalid_client', description, error_description: description });
      return 400;
    }
    const token = `token-${String(this.tokenRequests)}-${Math.random().toString(36).slice(2)}`;
    this.#tokens.set(token, { expiresAt: Date.now() + this.#options.expiresInSeconds * 1000, used: 0, window: { start: Date.now(), count: 0 } });
    json(res, 200, { access_token: token, token_type: 'bearer', expires_in: this.#options.expiresInSeconds });
    return 200;
  }

  #authorise(req: IncomingMessage): { status: number; body: unknown; headers?: Record<string, string> } | null {
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

  #route(url: URL): { status: number; body: unknown } {
    if (url.pathname === '/api/v2/flows') return this.#flowsPage(url.searchParams);
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
