// An Alertmanager webhook receiver on loopback: records every notification (body size bounded)
// with the time it arrived, and lets a test wait for one that matches.
import { createServer, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { until } from '../until.js';

/** One alert inside a webhook notification (Alertmanager webhook payload version 4). */
export interface NotifiedAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint: string;
}

/** One webhook notification. */
export interface Notification {
  version: string;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: NotifiedAlert[];
}

/** A notification and when it arrived (performance.now()). */
export interface Received {
  at: number;
  body: Notification;
}

/** A running receiver. */
export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** The first notification (already received or arriving) that `match` accepts. */
  waitFor(what: string, match: (n: Notification) => boolean, timeoutMs: number): Promise<Received>;
  close(): Promise<void>;
}

/** Largest body accepted; Alertmanager's notifications here are a few KiB. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Starts the receiver on 127.0.0.1 (an ephemeral port); POST /hook takes notifications. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/hook') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413, { connection: 'close' }).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      try {
        received.push({ at: performance.now(), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Notification });
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    waitFor: (what, match, timeoutMs) =>
      until(what, () => received.find((r) => match(r.body)), timeoutMs, 20),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
