// A named pipe whose writer offers more than a reader should take, for bounded-read tests.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Test } from 'tap';

/** A FIFO at `path` whose writer offers `mib` MiB; resolves to the bytes the reader took. */
export function endlessFifo(t: Test, path: string, mib: number): Promise<number> {
  t.equal(spawnSync('mkfifo', [path]).status, 0, 'mkfifo');
  const writer = createWriteStream(path);
  t.teardown(() => writer.destroy());
  const chunk = Buffer.alloc(1 << 20, 'a');
  return (async () => {
    let accepted = 0;
    try {
      for (let i = 0; i < mib; i++) {
        if (!writer.write(chunk)) await once(writer, 'drain');
        accepted += chunk.length;
      }
      writer.end();
      await once(writer, 'finish');
    } catch {
      // EPIPE: the reader closed its end.
    }
    return accepted;
  })();
}
