// Starts a built app on a `--listen` address: `host:port`, `:port` or `[v6]:port`.
import type { FastifyInstance } from 'fastify';
import { PathprobeError, UsageError } from '../errors.js';

/** Kubernetes needs the listener on every interface; 9477 is pathprobe's port. */
export const DEFAULT_LISTEN = '0.0.0.0:9477';

/** A parsed listen address. */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * Parses `host:port`, `:port` (all IPv4 interfaces), `[::]:port` or `[::1]:port`.
 * Throws UsageError naming the bad input.
 */
export function parseListenAddress(addr: string = DEFAULT_LISTEN): ListenAddress {
  const text = addr.trim() === '' ? DEFAULT_LISTEN : addr.trim();
  const m = /^(?:\[([0-9a-fA-F:.%a-zA-Z]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(
      `invalid listen address ${JSON.stringify(addr)}`,
      'use host:port, :port or [ipv6]:port, e.g. 0.0.0.0:9477, :9477 or [::]:9477',
    );
  }
  const host = m[1] ?? (m[2] === '' || m[2] === undefined ? '0.0.0.0' : m[2]);
  return { host, port };
}

/** Where the server actually listens (port resolved when 0 was asked). */
export interface Listening extends ListenAddress {
  /** http://host:port/ with IPv6 hosts bracketed. */
  url: string;
}

/** Listens on `addr` (default 0.0.0.0:9477). Throws PathprobeError PP_LISTEN when it cannot. */
export async function listen(app: FastifyInstance, addr?: string): Promise<Listening> {
  const { host, port } = parseListenAddress(addr);
  try {
    await app.listen({ host, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
    throw new PathprobeError(
      'PP_LISTEN',
      `cannot listen on ${host}:${port} (${code})`,
      code === 'EADDRINUSE'
        ? 'another process uses the port; pick another with --listen'
        : 'check the --listen address: the host must be an address of this machine',
      { cause: err },
    );
  }
  const bound = app.server.address();
  const actualPort = typeof bound === 'object' && bound !== null ? bound.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { host, port: actualPort, url: `http://${urlHost}:${actualPort}/` };
}
