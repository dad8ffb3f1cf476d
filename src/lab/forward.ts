// Runs inside the lab's node namespace: each `SOCKET=HOST:PORT` argument makes a unix socket
// whose connections are piped to HOST:PORT over the lab bridge. Unix sockets are not bound to a
// network namespace, so the host (tests, `npm run lab`) reaches the pods through them.
import { rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { listenOn, runUntilSignalled, splice } from './net.js';

runUntilSignalled('forward', async () => {
  const servers: Server[] = [];
  for (const arg of process.argv.slice(2)) {
    const eq = arg.lastIndexOf('=');
    const path = arg.slice(0, eq);
    const [host, port] = arg.slice(eq + 1).split(':') as [string, string];
    rmSync(path, { force: true });
    const server = createServer((client) => splice(client, connect({ host, port: Number(port) })));
    await listenOn(server, { path });
    servers.push(server);
  }
  return () => {
    for (const s of servers) s.close();
  };
});
