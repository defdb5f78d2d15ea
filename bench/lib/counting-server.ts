// A loopback HTTP server around a request handler that counts the requests it answers (the queries
// suite divides SQL statements by them).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingServer {
  url: string;
  /** Requests answered since the last reset. */
  requests: number;
  close(): Promise<void>;
}

export async function startCountingServer(handle: (request: IncomingMessage, response: ServerResponse) => unknown): Promise<CountingServer> {
  const state: CountingServer = { url: '', requests: 0, close: async () => {} };
  const server = createServer((request, response) => {
    state.requests += 1;
    void handle(request, response);
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  state.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/graphql`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
