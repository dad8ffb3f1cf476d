// Runs inside the lab's node namespace: each `SOCKET=HOST:PORT` argument makes a unix socket
// whose connections are piped to HOST:PORT over the lab bridge. Unix sockets are not bound to a
// network namespace, so the host (tests, `npm run lab`) reaches the pods through them.
import { rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';

async function main(): Promise<void> {
  const servers: Server[] = [];
  for (const arg of process.argv.slice(2)) {
    const eq = arg.lastIndexOf('=');
    const path = arg.slice(0, eq);
    const [host, port] = arg.slice(eq + 1).split(':') as [string, string];
    rmSync(path, { force: true });
    const server = createServer((client) => {
      const upstream = connect({ host, port: Number(port) });
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    servers.push(server);
  }
  const stop = (): void => {
    for (const s of servers) s.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write('ready\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`forward: ${(e as Error).message}\n`);
  process.exit(1);
});
