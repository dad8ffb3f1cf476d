// One DNS exchange with one server over UDP or TCP, bounded by a per-attempt timeout and the
// probe's signal. Checks the answer is ours: id, QR bit and question must match. Over UDP an
// answer that is not ours is ignored (it may be spoofed or late) and the wait goes on.
import dgram from 'node:dgram';
import net, { isIPv6 } from 'node:net';
import { decodeMessage, peekId } from './decode.js';
import { canonicalName, MAX_MESSAGE_BYTES, RCODE, type DnsMessage } from './message.js';
import type { NameServer } from './resolv-conf.js';
import { shedOnClose } from '../shed.js';

/** How one exchange ended. */
export type ExchangeResult =
  | { kind: 'message'; message: DnsMessage }
  | { kind: 'timeout' }
  | { kind: 'malformed'; detail: string }
  | { kind: 'neterror'; detail: string };

/** What the answer must echo. */
export interface ExpectedAnswer {
  id: number;
  name: string;
  type: number;
}

type Verdict = ExchangeResult | { kind: 'mismatch'; detail: string };

/** Error rcodes some servers send without echoing the question. */
const QUESTIONLESS_OK: ReadonlySet<number> = new Set([RCODE.FORMERR, RCODE.SERVFAIL, RCODE.NOTIMP, RCODE.REFUSED]);

/** Decides whether a received message answers our query. */
export function checkAnswer(buf: Buffer, expected: ExpectedAnswer): Verdict {
  const id = peekId(buf);
  if (id !== expected.id) return { kind: 'mismatch', detail: `answer with id ${id ?? 'none'}, expected ${expected.id}` };
  let message: DnsMessage;
  try {
    message = decodeMessage(buf);
  } catch (e) {
    return { kind: 'malformed', detail: `malformed answer: ${(e as Error).message}` };
  }
  if (!message.flags.response) return { kind: 'mismatch', detail: 'message is not a response' };
  const q = message.questions;
  if (q.length === 0 && QUESTIONLESS_OK.has(message.flags.rcode)) return { kind: 'message', message };
  const first = q[0];
  if (q.length !== 1 || !first || first.name !== canonicalName(expected.name) || first.type !== expected.type) {
    return { kind: 'mismatch', detail: `answer for another question (${first?.name ?? 'none'} type ${first?.type ?? '-'})` };
  }
  return { kind: 'message', message };
}

/** Sends `query` and waits for the matching answer, at most `timeoutMs` and never past `signal`. */
export function exchange(
  server: NameServer, transport: 'udp' | 'tcp', query: Buffer, expected: ExpectedAnswer,
  timeoutMs: number, signal: AbortSignal,
): Promise<ExchangeResult> {
  return transport === 'udp'
    ? exchangeUdp(server, query, expected, timeoutMs, signal)
    : exchangeTcp(server, query, expected, timeoutMs, signal);
}

/** Runs `body` with a settle-once callback, a timer and an abort listener; `cleanup` frees the socket. */
function bounded(
  timeoutMs: number, signal: AbortSignal, onTimeout: () => ExchangeResult,
  body: (finish: (r: ExchangeResult) => void) => () => void,
): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    let done = false;
    let cleanup = (): void => {};
    const finish = (r: ExchangeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      cleanup();
      resolve(r);
    };
    const onAbort = (): void => finish(onTimeout());
    const timer = setTimeout(onAbort, Math.max(0, timeoutMs));
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) return onAbort();
    cleanup = body(finish);
    if (done) cleanup();
  });
}

function errorDetail(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return `${err.code ?? 'error'}: ${err.message}`;
}

function exchangeUdp(
  server: NameServer, query: Buffer, expected: ExpectedAnswer, timeoutMs: number, signal: AbortSignal,
): Promise<ExchangeResult> {
  let unusable: string | undefined;
  const onTimeout = (): ExchangeResult =>
    unusable ? { kind: 'malformed', detail: `only unusable answers: ${unusable}` } : { kind: 'timeout' };
  return bounded(timeoutMs, signal, onTimeout, (finish) => {
    const socket = dgram.createSocket(isIPv6(server.host) ? 'udp6' : 'udp4');
    shedOnClose(socket);
    socket.on('error', (e) => finish({ kind: 'neterror', detail: errorDetail(e) }));
    socket.on('message', (buf) => {
      const verdict = checkAnswer(buf, expected);
      if (verdict.kind === 'mismatch') unusable = verdict.detail;
      else finish(verdict);
    });
    // A connected socket only receives from the server, and gets ICMP errors as 'error'. A
    // connect that fails (no route, a broadcast address) calls back with the error: sending on the
    // unconnected socket then would throw outside any handler.
    socket.connect(server.port, server.host, (connectError?: Error) => {
      if (connectError) return finish({ kind: 'neterror', detail: errorDetail(connectError) });
      try {
        socket.send(query, (e) => e && finish({ kind: 'neterror', detail: errorDetail(e) }));
      } catch (e) {
        // Closed meanwhile (the exchange already ended): nothing to send.
        finish({ kind: 'neterror', detail: errorDetail(e) });
      }
    });
    return () => {
      try {
        socket.close();
      } catch {
        /* already closed */
      }
    };
  });
}

function exchangeTcp(
  server: NameServer, query: Buffer, expected: ExpectedAnswer, timeoutMs: number, signal: AbortSignal,
): Promise<ExchangeResult> {
  return bounded(timeoutMs, signal, () => ({ kind: 'timeout' }), (finish) => {
    const socket = net.connect({ host: server.host, port: server.port });
    shedOnClose(socket);
    const chunks: Buffer[] = [];
    let received = 0;
    socket.on('connect', () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(query.length);
      // No half-close: some servers drop the connection on FIN before answering.
      socket.write(Buffer.concat([prefix, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received > 2 + MAX_MESSAGE_BYTES) return finish({ kind: 'malformed', detail: 'TCP answer too long' });
      const all = Buffer.concat(chunks);
      if (all.length < 2 || all.length < 2 + all.readUInt16BE(0)) return;
      const verdict = checkAnswer(all.subarray(2, 2 + all.readUInt16BE(0)), expected);
      // Over TCP nobody off-path can inject: an answer that is not ours is a broken server.
      finish(verdict.kind === 'mismatch' ? { kind: 'malformed', detail: verdict.detail } : verdict);
    });
    socket.on('error', (e) => finish({ kind: 'neterror', detail: errorDetail(e) }));
    socket.on('close', () =>
      finish(received === 0
        ? { kind: 'neterror', detail: 'connection closed without an answer' }
        : { kind: 'malformed', detail: `connection closed after ${received} bytes of a partial answer` }));
    return () => socket.destroy();
  });
}
