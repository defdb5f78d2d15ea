// How the local vendor fakes listen and stop: on 127.0.0.1, and a stop that drops open connections so
// that the next request is refused, as a vendor that went away would refuse it.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1 (`port` 0: any free port); resolves with the port. */
export async function listenLocal(server: Server, port = 0): Promise<number> {
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Closes the server and every connection it has open. */
export async function closeNow(server: Server | null): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
