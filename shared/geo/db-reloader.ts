/**
 * Reload decisions for the geo databases: a file whose identity (device, inode, size, mtime) differs from the
 * loaded one, and stays the same for `settleMs`, is read and validated (mmdb-database.ts); only a valid file is
 * handed to `swap`. A file that fails validation is reported once and not retried until it changes again; one
 * that changed while it was read (a copy in progress) is looked at again. Checks never overlap.
 */
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { TorlogsError, errorMessage } from '../core/errors.js';
import { fileStamp, loadMmdb, type GeoDbKind, type MmdbDatabase } from './mmdb-database.js';

export type GeoReloadEvent =
  | { ok: true; kind: GeoDbKind; path: string; build: number; previousBuild: number; databaseType: string }
  /** `build` is the database still serving */
  | { ok: false; kind: GeoDbKind; path: string; build: number; error: string };

export type GeoLog = (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;

export interface DbReloaderOptions {
  files: ReadonlyArray<{ kind: GeoDbKind; path: string }>;
  settleMs: number;
  current(kind: GeoDbKind): MmdbDatabase | null;
  /** recent client IPs to probe a new database with */
  probes(): readonly string[];
  /** install a validated database (called synchronously, after which lookups use it) */
  swap(next: MmdbDatabase): void;
  onReload?: (e: GeoReloadEvent) => void;
  onFailure(): void;
  log?: GeoLog;
}

export interface DbReloader {
  checkForUpdates(): Promise<void>;
  /** when each database was (re)loaded, epoch ms */
  loadedAtMs(kind: GeoDbKind): number;
  /** degraded states for a health detail ([] when all is well) */
  notes(): string[];
  close(): void;
}

interface Slot {
  kind: GeoDbKind;
  path: string;
  loadedAtMs: number;
  /** stamp of a file that failed validation */
  failed: string;
  lastError: string;
  missing: boolean;
}

export function createDbReloader(o: DbReloaderOptions): DbReloader {
  const slots: Slot[] = o.files.map((f) => ({ ...f, loadedAtMs: Date.now(), failed: '', lastError: '', missing: false }));
  let closed = false;

  async function stampOf(slot: Slot): Promise<string | null> {
    try {
      const st = await stat(slot.path);
      if (slot.missing) o.log?.('info', 'geo database file is back', { db: slot.kind, path: slot.path });
      slot.missing = false;
      return fileStamp(st);
    } catch (err) {
      if (!slot.missing) o.log?.('warn', 'geo database file is gone; still serving the loaded copy', { db: slot.kind, path: slot.path, err: errorMessage(err) });
      slot.missing = true;
      return null;
    }
  }

  /** true when the file was still changing: look again */
  async function checkSlot(slot: Slot): Promise<boolean> {
    const current = o.current(slot.kind);
    if (current === null) return false;
    const first = await stampOf(slot);
    if (first === null || first === current.stamp || first === slot.failed) return false;
    await sleep(o.settleMs);
    if ((await stampOf(slot)) !== first) return true;
    try {
      const next = await loadMmdb(slot.path, slot.kind, o.probes());
      if (closed) return false;
      o.swap(next);
      slot.loadedAtMs = Date.now();
      slot.failed = slot.lastError = '';
      o.onReload?.({ ok: true, kind: slot.kind, path: slot.path, build: next.build, previousBuild: current.build, databaseType: next.databaseType });
    } catch (err) {
      if (err instanceof TorlogsError && err.retriable) return true;
      slot.failed = first;
      slot.lastError = errorMessage(err);
      o.onFailure();
      o.onReload?.({ ok: false, kind: slot.kind, path: slot.path, build: current.build, error: slot.lastError });
    }
    return false;
  }

  let running: Promise<void> | null = null;
  let again = false;
  function checkForUpdates(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        for (const slot of slots) if (await checkSlot(slot)) again = true;
      } while (again && !closed);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    checkForUpdates,
    loadedAtMs: (kind) => slots.find((s) => s.kind === kind)?.loadedAtMs ?? 0,
    notes: () =>
      slots.flatMap((s) => [
        ...(s.lastError ? [`${s.kind}: replacement rejected, serving the previous database: ${s.lastError}`] : []),
        ...(s.missing ? [`${s.kind}: ${s.path} is gone, serving the loaded copy`] : []),
      ]),
    close() {
      closed = true;
    },
  };
}
