// A loopback TCP listener the test can close (connects are then refused) and reopen on the same
// port (healed): the "closed port" break of the end-to-end test.
import { createServer, type Server, type Socket } from 'node:net';

/** A listener that can be switched off and on. */
export interface SwitchableListener {
  port: number;
  /** Stops listening and drops open connections: new connects get RST (refused). */
  close(): Promise<void>;
  /** Listens again on the same port. */
  reopen(): Promise<void>;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Starts listening on an ephemeral port; accepted connections are closed at once. */
export async function startSwitchableListener(): Promise<SwitchableListener> {
  const sockets = new Set<Socket>();
  const make = (): Server => createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.end();
  });
  let server = make();
  await listen(server, 0);
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server.listening) resolve();
      else server.close(() => resolve());
    }),
    async reopen() {
      server = make();
      await listen(server, port);
    },
  };
}
