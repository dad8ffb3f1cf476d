// The load test's scrapers, in a child process of their own at a lower CPU priority (nice 10):
// they stand in for Prometheus servers and browsers on other machines, so on a 2-core runner
// their own work (reading ~50 responses at once) should not be what the agent's figures measure.
// Each asks for gzip as Prometheus and browsers do; one response in ten is decoded and checked
// (the rest are read to the end and counted), so a broken body fails the test too.
import { spawn } from 'node:child_process';

export interface Fetched {
  which: 'metrics' | 'page';
  status: number;
  ms: number;
  /** Bytes on the wire. */
  bytes: number;
  /** Decoded size, for the checked responses. */
  decoded?: number;
}

export interface ScrapeRun {
  results: Fetched[];
  failures: string[];
}

const SCRIPT = `
const http = require('node:http');
const zlib = require('node:zlib');
const { url, scrapers, seconds } = JSON.parse(process.argv[1]);
const stopAt = Date.now() + seconds * 1000;
const results = [];
const failures = [];
function get(which) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(url + (which === 'metrics' ? 'metrics' : ''), { headers: { 'accept-encoding': 'gzip' }, timeout: 30000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - t0;
        const body = Buffer.concat(chunks);
        const got = { which, status: res.statusCode, ms, bytes: body.length };
        if (res.statusCode !== 200) failures.push(which + ': HTTP ' + res.statusCode);
        else if (results.length % 10 === 0) {
          try {
            const text = (res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body) : body).toString();
            got.decoded = Buffer.byteLength(text);
            const ok = which === 'metrics' ? /^pathprobe_build_info\\{/m.test(text) && text.endsWith('\\n') : text.trimEnd().endsWith('</html>');
            if (!ok) failures.push(which + ': incomplete body');
          } catch (e) { failures.push(which + ': ' + e.message); }
        }
        results.push(got);
        resolve();
      });
      res.on('error', (e) => { failures.push(which + ': ' + e.message); resolve(); });
    });
    req.on('timeout', () => req.destroy(new Error('timed out after 30 s')));
    req.on('error', (e) => { failures.push(which + ': ' + e.message); resolve(); });
  });
}
Promise.all(Array.from({ length: scrapers }, async (_, i) => {
  for (let n = 0; Date.now() < stopAt; n++) await get((i + n) % 2 === 0 ? 'metrics' : 'page');
})).then(() => process.stdout.write(JSON.stringify({ results, failures })));
`;

/** Runs `scrapers` clients against the agent at `url` for `seconds`, each alternating /metrics and /. */
export async function runScrapers(url: string, scrapers: number, seconds: number): Promise<ScrapeRun> {
  const child = spawn('nice', ['-n', '10', process.execPath, '-e', SCRIPT, JSON.stringify({ url, scrapers, seconds })], { stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => chunks.push(c));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`scrapers exited ${code}`);
  return JSON.parse(Buffer.concat(chunks).toString()) as ScrapeRun;
}
