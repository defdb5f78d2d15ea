// What every local vendor fake does the same way: listen on 127.0.0.1, record each request, answer the
// token endpoint and check bearer tokens through the subclass, and play faults queued per path — a
// status (with Retry-After), a body that is not JSON, an answer cut off half-way, a slow answer, or a
// replaced body. Each fake (genesys-api.ts, salesforce-api.ts) writes its vendor's documented routes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeNow, listenLocal } from './local-server.js';

export type Fault =
  | { kind: 'status'; status: number; body?: unknown; retryAfter?: string }
  /** A body that is not JSON. */
  | { kind: 'garbage' }
  /** Headers and half the body, then the connection is cut. */
  | { kind: 'cut' }
  /** The answer comes after `ms`. */
  | { kind: 'slow'; ms: number }
  /** Replaces the answer's body (e.g. a next-page link to elsewhere). */
  | { kind: 'body'; body: unknown };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
}

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

export abstract class FakeVendorServer {
  readonly requests: RecordedRequest[] = [];
  /** Token requests, granted or not. */
  tokenRequests = 0;
  readonly #faults: { path: RegExp; fault: Fault; times: number }[] = [];
  #server: Server | null = null;
  #port = 0;

  /** The token endpoint's path. */
  protected abstract readonly tokenPath: string;
  /** Answers a token request (its status is recorded). */
  protected abstract token(req: IncomingMessage, res: ServerResponse): Promise<number>;
  /** The answer that refuses the request's bearer token (401, 429...); null: it may go on. */
  protected abstract authorise(req: IncomingMessage): Answer | null;
  /** The vendor's answer to an authorised request. */
  protected abstract route(url: URL, req: IncomingMessage): Answer;
  /** The vendor's error body for a status. */
  protected abstract errorBody(status: number, message: string): unknown;

  get url(): string {
    return `http://127.0.0.1:${String(this.#port)}`;
  }

  get port(): number {
    return this.#port;
  }

  /** Queues `fault` for the next `times` requests whose path matches. */
  fail(path: RegExp, fault: Fault, times = 1): void {
    this.#faults.push({ path, fault, times });
  }

  async start(port = 0): Promise<void> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => sendJson(res, 500, this.errorBody(500, String(error))));
    });
    this.#port = await listenLocal(this.#server, port);
  }

  /** Stops answering: connections are refused until start() on the same port. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    await closeNow(server);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const record = (status: number) => this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, status });
    if (url.pathname === this.tokenPath) {
      this.tokenRequests += 1;
      record(await this.token(req, res));
      return;
    }
    const refused = this.authorise(req);
    if (refused !== null) {
      record(refused.status);
      sendJson(res, refused.status, refused.body, refused.headers);
      return;
    }
    // A fault is what an authorised request meets: a request refused above does not use one up.
    const fault = this.#takeFault(url.pathname);
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'status') {
      record(fault.status);
      sendJson(res, fault.status, fault.body ?? this.errorBody(fault.status, 'injected'), fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
      return;
    }
    const answer = this.route(url, req);
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
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(text);
  }

  #takeFault(path: string): Fault | null {
    const entry = this.#faults.find((f) => f.path.test(path) && f.times > 0);
    if (!entry) return null;
    entry.times -= 1;
    return entry.fault;
  }
}
