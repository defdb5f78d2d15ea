// The fan-out benchmark's baseline: the least any server can do to deliver one update to N open
// subscriptions on this machine. It speaks just enough of the two transports for the benchmark's
// subscribers (bench/lib/fanout-clients.ts) — an HTTP POST answered with an event stream, and
// graphql-transport-ws's connection_init/ack and subscribe — and for each update writes one ready,
// pre-serialised frame to every socket: no GraphQL, no database, no per-subscriber state beyond the
// socket. What Parley spends beyond this is Parley's; what this spends is the kernel's and the
// sockets' (on loopback, a write also runs the receiving side's TCP work).
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FloorServer {
  url: string;
  /** Open subscriptions (SSE streams and subscribed WebSockets). */
  readonly subscriberCount: number;
  /** Writes `payload` (a GraphQL result) to every subscriber, as each transport frames it. */
  broadcast(payload: unknown): void;
  close(): Promise<void>;
}

export async function startFloorServer(): Promise<FloorServer> {
  const streams = new Set<ServerResponse>();
  /** Subscribed sockets and the operation id each subscribed with (the frame names it). */
  const sockets = new Map<WebSocket, string>();
  const http = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(':\n\n');
      streams.add(res);
      res.on('close', () => streams.delete(res));
    });
  });
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (socket) => {
    socket.on('message', (raw: Buffer) => {
      const message = JSON.parse(raw.toString('utf8')) as { type: string; id?: string };
      if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
      else if (message.type === 'subscribe' && message.id) sockets.set(socket, message.id);
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', resolve);
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/graphql`,
    get subscriberCount() {
      return streams.size + sockets.size;
    },
    broadcast(payload) {
      const json = JSON.stringify(payload);
      const sse = Buffer.from(`event: next\ndata: ${json}\n\n`);
      const frames = new Map<string, Buffer>();
      for (const response of streams) response.write(sse);
      for (const [socket, id] of sockets) {
        let frame = frames.get(id);
        if (!frame) {
          frame = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":${json}}`);
          frames.set(id, frame);
        }
        socket.send(frame, { binary: false });
      }
    },
    async close() {
      for (const response of streams) response.end();
      for (const socket of sockets.keys()) socket.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
