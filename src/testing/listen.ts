/** Listening on 127.0.0.1, for both of the emulator's servers. */
import type { Server } from 'node:net';

export const HOST = '127.0.0.1';

/** Listens on 127.0.0.1 (`port` 0: a free port) and resolves with the port. */
export function listenOn(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}
