// A WebSocket operation's LiveWriter (./writer.ts): graphql-ws's `next` message for the operation,
// built around the result's shared JSON and sent on the socket at once. graphql-ws itself would
// serialise the result again for every subscriber and wait for each write's callback before taking
// the next result; its own messages (complete, error) still go through it, after the last `next`.
import type { WebSocket } from 'ws';
import { type LiveWriter, resultJson } from './writer.js';

export function webSocketWriter(socket: WebSocket, operationId: string): LiveWriter {
  const prefix = `{"id":${JSON.stringify(operationId)},"type":"next","payload":`;
  let backlog = 0;
  const written = () => {
    backlog -= 1;
  };
  return {
    transport: 'websocket',
    get backlog() {
      return backlog;
    },
    write(result) {
      // Closing: graphql-ws ends the operation; nothing more to write.
      if (socket.readyState !== socket.OPEN) return;
      backlog += 1;
      // The callback runs once the frame was handed to the operating system (or the socket failed).
      socket.send(`${prefix}${resultJson(result)}}`, written);
    },
  };
}
