// Looks a name up in a hosts file (hosts(5)) — consulted before DNS, as nsswitch "files dns"
// does in every pod (kubelet writes /etc/hosts with the pod's own name and HostAliases).
import { isIP } from 'node:net';
import { changedFileReader } from './changed-file.js';
import { canonicalName } from './message.js';

/** Largest hosts file read; the rest is ignored (kubelet's files are a few hundred bytes). */
const MAX_HOSTS_BYTES = 1024 * 1024;

/** Addresses of `name` in hosts-file text, in file order, IPv4 and IPv6 separately. */
export function lookupHostsText(text: string, name: string): { v4: string[]; v6: string[] } {
  const wanted = canonicalName(name);
  const v4: string[] = [];
  const v6: string[] = [];
  for (const rawLine of text.split('\n')) {
    const [address, ...names] = rawLine.replace(/#.*$/, '').trim().split(/\s+/);
    if (!address || names.length === 0) continue;
    const family = isIP(address);
    if (family === 0 || !names.some((n) => canonicalName(n) === wanted)) continue;
    const list = family === 4 ? v4 : v6;
    if (!list.includes(address)) list.push(address);
  }
  return { v4, v6 };
}

const readHostsText = changedFileReader((bytes) => bytes.subarray(0, MAX_HOSTS_BYTES).toString('utf8'));

/**
 * Reads the hosts file (again only when it changed, see changed-file.ts) and looks `name` up; a
 * missing or unreadable file has no entries.
 */
export async function lookupHostsFile(path: string, name: string): Promise<{ v4: string[]; v6: string[] }> {
  const text = await readHostsText(path);
  return text === undefined ? { v4: [], v6: [] } : lookupHostsText(text, name);
}
