// Where the lab's system programs are: PATH first, then the sbin directories a non-login root
// shell may lack (Debian puts dnsmasq in /usr/sbin).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Programs the lab runs. */
export const LAB_PROGRAMS = ['ip', 'nft', 'dnsmasq'] as const;

/** The absolute path of `name`, or undefined when it is not installed. */
export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}
