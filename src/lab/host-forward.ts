// Publishes an agent on the host: a TCP listener on 127.0.0.1 piping each connection to the
// agent's unix socket (served by the forwarder in the lab's node namespace).
import { connect, createServer, type Server, type Socket } from 'node:net';
import { listenOn, splice } from './net.js';

/** A host listener and how to close it. */
export interface HostForward {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0: any free port) and forwards to `socketPath`. */
export async function forwardFromHost(socketPath: string, port = 0): Promise<HostForward> {
  const clients = new Set<Socket>();
  const server: Server = createServer((client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    splice(client, connect({ path: socketPath }));
  });
  await listenOn(server, { host: '127.0.0.1', port });
  const bound = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const c of clients) c.destroy(); // a browser's keep-alive connection would hold close()
    }),
  };
}
