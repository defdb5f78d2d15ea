// A local Einstein Bot Runtime API v5, written from Salesforce's API reference and the SDK's mocks
// (forcedotcom/einstein-bot-sdk-java): start a session, send a message, end a session. It needs
// `Authorization: Bearer` and `X-Org-Id` (401 otherwise, with the API's error body), answers gzip when
// asked, echoes `X-Request-ID`, and records what it received, so tests can check the proxy forwards
// exactly what the client sent.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { closeNow, listenLocal } from './local-server.js';
import { gzipSync } from 'node:zlib';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export class FakeEinsteinRuntime {
  readonly received: ReceivedRequest[] = [];
  #server: Server | null = null;
  #port = 0;
  #sessions = 0;

  get url(): string {
    return `http://127.0.0.1:${String(this.#port)}`;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += String(chunk)));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ method: req.method ?? '', path, headers: req.headers, body });
        const { status, payload } = this.#answer(req.method ?? '', path, req.headers, body);
        const json = Buffer.from(JSON.stringify(payload));
        const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        res.writeHead(status, {
          'content-type': 'application/json;charset=UTF-8',
          'x-request-id': String(req.headers['x-request-id'] ?? ''),
          'x-runtime-fake': 'einstein',
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        });
        res.end(gzip ? gzipSync(json) : json);
      });
    });
    this.#port = await listenLocal(this.#server, 0);
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    await closeNow(server);
  }

  #answer(method: string, path: string, headers: IncomingHttpHeaders, body: string): { status: number; payload: unknown } {
    const error = (status: number, message: string) => ({
      status,
      payload: { status, path, requestId: headers['x-request-id'] ?? null, error: 'Error', message, timestamp: 1_700_000_000_000 },
    });
    if (!/^Bearer \S+/.test(String(headers.authorization ?? ''))) return error(401, 'Unauthorized');
    if (!headers['x-org-id']) return error(400, 'X-Org-Id header is required');
    const start = /^\/v5\.\d\.0\/bots\/([^/]+)\/sessions$/.exec(path);
    if (method === 'POST' && start) {
      this.#sessions += 1;
      const sessionId = `fake-session-${String(this.#sessions)}`;
      return {
        status: 200,
        payload: {
          sessionId,
          botVersion: '0X9SB00000006wf0AA',
          processedSequenceIds: [0],
          messages: [
            { type: 'text', id: `${sessionId}-m0`, text: 'Hi, I’m the order bot.', schedule: { responseDelayMilliseconds: 1200 } },
            { type: 'choices', id: `${sessionId}-m1`, widget: 'menu', choices: [{ label: 'Order Status', alias: '1', id: 'c-1' }] },
          ],
          _links: {
            self: { href: `https://runtime.example${path}` },
            session: { href: `https://runtime.example/v5.0.0/sessions/${sessionId}` },
            messages: { href: `https://runtime.example/v5.0.0/sessions/${sessionId}/messages` },
          },
        },
      };
    }
    const messages = /^\/v5\.\d\.0\/sessions\/([^/]+)\/messages$/.exec(path);
    if (method === 'POST' && messages) {
      const sent = JSON.parse(body || '{}') as { message?: { sequenceId?: number; text?: string } };
      const sequenceId = sent.message?.sequenceId ?? 0;
      const text = sent.message?.text ?? '';
      const reply = /agent/i.test(text)
        ? { type: 'escalate', id: `${messages[1]!}-e${String(sequenceId)}`, targets: [{ type: 'Salesforce:Core:Queue:Id', value: '00G000000000001' }] }
        : { type: 'text', id: `${messages[1]!}-r${String(sequenceId)}`, text: `You said: ${text}` };
      return {
        status: 200,
        payload: {
          processedSequenceIds: [sequenceId],
          messages: [reply],
          _links: { session: { href: `https://runtime.example/v5.0.0/sessions/${messages[1]!}` } },
        },
      };
    }
    const session = /^\/v5\.\d\.0\/sessions\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && session) {
      return {
        status: 200,
        // As the SDK's end-session mock: the sequence it answers is a client timestamp in milliseconds.
        payload: { processedSequenceIds: [Date.now()], messages: [{ type: 'sessionEnded', id: `${session[1]!}-end`, reason: 'ClientRequest' }], _links: null },
      };
    }
    return error(404, `No route ${method} ${path}`);
  }
}
