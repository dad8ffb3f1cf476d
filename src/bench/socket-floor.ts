// Child process of the benchmark's CPU section: the least a Node.js prober can spend on one probe.
// It makes the bare exchange of each check at the bench's rate against the same targets — tcp: a
// connect, then destroy; http: a GET on a fresh connection (node:http, no keep-alive), body read;
// dns: a connected UDP socket, one A query, one answer — with no scheduling, classification,
// timing, metrics or server. Arguments: check, target port, rate, warm-up seconds, window seconds.
// Prints `window` when its measured window starts and `done <sent> <answered>` when it ends.
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';

const [check, portText, rateText, warmupText, secondsText] = process.argv.slice(2);
const port = Number(portText);
const rate = Number(rateText);

/** A DNS query for bench.test A (id 0x1234, recursion desired). */
const QUERY = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5, ...Buffer.from('bench'), 4, ...Buffer.from('test'), 0, 0, 1, 0, 1]);

function tcp(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function get(): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode === 200));
    });
    request.once('error', () => resolve(false));
  });
}

function dns(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('message', () => {
      socket.close();
      resolve(true);
    });
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.connect(port, '127.0.0.1', () => socket.send(QUERY));
  });
}

const probe = check === 'tcp' ? tcp : check === 'http' ? get : dns;

/** `seconds` of probes at `rate`, evenly spaced, not waiting for answers. */
async function run(seconds: number): Promise<{ sent: number; answered: number }> {
  const n = Math.round(seconds * rate);
  const start = performance.now();
  const pending: Promise<boolean>[] = [];
  for (let i = 0; i < n; i++) {
    pending.push(probe());
    const wait = start + ((i + 1) * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const results = await Promise.all(pending);
  return { sent: n, answered: results.filter(Boolean).length };
}

await run(Number(warmupText));
process.stdout.write('window\n');
const { sent, answered } = await run(Number(secondsText));
process.stdout.write(`done ${sent} ${answered}\n`);
