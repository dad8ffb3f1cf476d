// The servers of one lab pod, run inside its namespace: `node serve.js '<ServerSpec[] JSON>'`.
// Prints "ready" once every listener is up; exits on SIGTERM.
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { listenOn, runUntilSignalled } from './net.js';
import type { ServerSpec } from './scenario-types.js';

const sockets = new Set<Socket>();

function track(socket: Socket): void {
  sockets.add(socket);
  socket.on('error', () => undefined);
  socket.on('close', () => sockets.delete(socket));
}

/** A server of `spec.kind` (not yet listening). */
function createLabServer(spec: ServerSpec): Server {
  switch (spec.kind) {
    case 'tcp':
      return createServer((s) => { track(s); s.on('end', () => s.end()); s.resume(); });
    case 'reset':
      return createServer((s) => { track(s); s.resetAndDestroy(); });
    case 'http':
      return createHttpServer((req, res) => { req.resume(); res.writeHead(spec.status, { 'content-type': 'text/plain' }).end(`status ${spec.status}\n`); });
    case 'http-hang':
      // Reads the request and never answers: the connection stays open until the client leaves.
      return createHttpServer((req) => { req.resume(); });
    case 'http-hang-body':
      return createHttpServer((req, res) => { req.resume(); res.writeHead(200, { 'content-length': '100' }); res.flushHeaders(); });
  }
}

runUntilSignalled('serve', async () => {
  const specs = JSON.parse(process.argv[2] ?? '[]') as ServerSpec[];
  const servers: Server[] = [];
  for (const spec of specs) {
    const server = createLabServer(spec);
    server.on('connection', track);
    await listenOn(server, { host: '0.0.0.0', port: spec.port });
    servers.push(server);
  }
  return () => {
    for (const s of sockets) s.destroy();
    for (const s of servers) s.close();
  };
});
