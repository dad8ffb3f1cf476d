// Runs every hostile server in its own process, so the probing process pays neither their CPU nor
// their memory: prints one JSON line {name: port}, then serves until stdin closes.
// Usage: node --import=tsx hostile-fleet.ts [CERT_DIR]
import { allTargetServers, Closers } from './hostile-servers.js';

const closers = new Closers();
const ports: Record<string, number> = {};
for (const [name, start] of Object.entries(allTargetServers(process.argv[2]))) ports[name] = await start(closers);
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.stdin.resume();
process.stdin.on('end', () => void closers.closeAll().then(() => process.exit(0)));
