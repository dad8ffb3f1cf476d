// Socket plumbing shared by the lab's forwarders (forward.ts in the node namespace,
// host-forward.ts on the host) and its pod servers (serve.ts).
import type { ListenOptions, Server, Socket } from 'node:net';

/** Pipes `client` and `upstream` into each other; an error or close on one side destroys the other. */
export function splice(client: Socket, upstream: Socket): void {
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
}

/** Starts `server` listening on `at` (`{ path }` for a unix socket, or host and port); rejects on a listen error. */
export function listenOn(server: Server, at: ListenOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at, resolve);
  });
}

/**
 * The main of a lab child process: runs `start`, prints "ready", and on SIGTERM or SIGINT calls
 * the stop function `start` returned and exits 0. A failed start prints `name: message`, exits 1.
 */
export function runUntilSignalled(name: string, start: () => Promise<() => void>): void {
  start().then((stop) => {
    const onSignal = (): void => {
      stop();
      process.exit(0);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.stdout.write('ready\n');
  }).catch((e: unknown) => {
    process.stderr.write(`${name}: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
