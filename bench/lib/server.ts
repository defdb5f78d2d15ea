// The gateway under test on a real socket (127.0.0.1, an ephemeral port), and a client that streams
// a file to it, as a partner's uploader would.
import { createReadStream } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { Database } from '../../src/db/client.js';
import { createGateway } from '../../src/gateway.js';

export interface RunningGateway {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Errors the gateway logged (a chunk the database refused, a handler that threw...). */
  errors: unknown[];
  close(): Promise<void>;
}

export async function startGateway(database: Database): Promise<RunningGateway> {
  const errors: unknown[] = [];
  // Not production: with no API key created yet, requests act as the default tenant (no key needed).
  const { yoga } = createGateway({ database, production: false, logError: (error) => errors.push(error) });
  const server = createServer(yoga);
  // A bulk upload may take longer than Node's default 5-minute request timeout.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    errors,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export interface PostResult {
  status: number;
  body: string;
}

/** POSTs a file as the request body, streamed from disk (never held in memory). */
export async function postFile(url: string, file: string, contentType: string): Promise<PostResult> {
  return new Promise<PostResult>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': contentType }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    pipeline(createReadStream(file), req).catch(reject);
  });
}
