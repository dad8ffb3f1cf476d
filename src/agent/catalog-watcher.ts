// Notices catalog changes, including kubelet's ConfigMap updates: the mounted file is a symlink
// through `..data` to a timestamped directory that is swapped atomically, so a watch on the file
// itself dies with the old directory. We watch the containing directories, debounce, and let the
// caller compare content hashes; a slow poll catches anything inotify misses.
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** SHA-256 over the catalog files' names and contents (symlinks followed; directories expanded to their *.yaml/*.yml files). */
export async function hashCatalogFiles(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) {
    hash.update(`\0${path}\0`);
    try {
      const info = await stat(path);
      const files = info.isDirectory()
        ? (await readdir(path)).filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.')).sort().map((f) => join(path, f))
        : [path];
      for (const file of files) hash.update(`\0${file}\0`).update(await readFile(file));
    } catch (error) {
      hash.update(`\0missing:${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  return hash.digest('hex');
}

/** Options of watchCatalog. */
export interface CatalogWatchOptions {
  paths: readonly string[];
  /** Called once per burst of filesystem events, and on every poll. */
  onChange: () => void;
  onError?: (error: Error) => void;
  /** Quiet time after the last event before onChange (default 300 ms). */
  debounceMs?: number;
  /** Poll period as a fallback to inotify (default 15 s; 0 disables). */
  pollIntervalMs?: number;
}

/** A running watch. */
export interface CatalogWatch {
  close(): void;
}

/** Watches the directories holding the catalog paths (and catalog directories themselves). */
export async function watchCatalog(options: CatalogWatchOptions): Promise<CatalogWatch> {
  const debounceMs = options.debounceMs ?? 300;
  const pollIntervalMs = options.pollIntervalMs ?? 15_000;
  let debounce: NodeJS.Timeout | undefined;
  let closed = false;
  const fire = () => {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      if (!closed) options.onChange();
    }, debounceMs);
  };
  const dirs = new Set<string>();
  for (const path of options.paths) {
    const absolute = resolve(path);
    dirs.add(dirname(absolute));
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isDirectory()) dirs.add(absolute);
  }
  // A directory whose watch could not be set up or died (EMFILE, the inotify instance limit,
  // the directory removed and recreated) is watched again on the next poll.
  const watchers = new Map<string, FSWatcher>();
  const watchMissing = () => {
    for (const dir of dirs) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, fire);
        watcher.on('error', (error) => {
          watcher.close();
          if (watchers.get(dir) === watcher) watchers.delete(dir);
          options.onError?.(error);
        });
        watchers.set(dir, watcher);
      } catch (error) {
        options.onError?.(error as Error);
      }
    }
  };
  watchMissing();
  const poll = pollIntervalMs > 0
    ? setInterval(() => {
      if (closed) return;
      watchMissing();
      options.onChange();
    }, pollIntervalMs)
    : undefined;
  poll?.unref();
  return {
    close() {
      closed = true;
      if (debounce) clearTimeout(debounce);
      if (poll) clearInterval(poll);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
