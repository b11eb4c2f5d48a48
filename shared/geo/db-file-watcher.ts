/**
 * Tells when database files may have changed: fs.watch on each file's directory (a replacement by rename is an
 * event on the directory, not on the old file; events for any name count, because Kubernetes-style updates
 * swap a `..data` symlink rather than the file) plus a periodic timer as the fallback for filesystems without
 * notifications (NFS, some container mounts). Bursts of events are debounced into one signal. The receiver
 * decides by comparing file identities; a signal is only a hint.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

export interface DbFileWatchOptions {
  paths: readonly string[];
  /** periodic check interval, ms */
  pollMs: number;
  /** quiet time after the last event before signalling, ms */
  debounceMs: number;
  onSignal: () => void;
  /** a directory that cannot be watched (the periodic check still runs) */
  onWatchError?: (dir: string, err: unknown) => void;
}

export interface DbFileWatch {
  close(): void;
}

export function watchDbFiles(o: DbFileWatchOptions): DbFileWatch {
  const watchers: FSWatcher[] = [];
  let debounce: NodeJS.Timeout | null = null;
  let closed = false;
  const signal = () => {
    if (!closed) o.onSignal();
  };
  const onEvent = () => {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(signal, o.debounceMs);
    debounce.unref();
  };
  for (const dir of new Set(o.paths.map((p) => dirname(p)))) {
    try {
      const w = watch(dir, { persistent: false }, onEvent);
      w.on('error', (err) => {
        w.close();
        o.onWatchError?.(dir, err);
      });
      watchers.push(w);
    } catch (err) {
      o.onWatchError?.(dir, err);
    }
  }
  const timer = setInterval(signal, o.pollMs);
  timer.unref();
  return {
    close() {
      closed = true;
      for (const w of watchers) w.close();
      clearInterval(timer);
      if (debounce) clearTimeout(debounce);
    },
  };
}
