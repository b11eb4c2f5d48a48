/**
 * Tor sync: fetches each live source (TORLOGS_TOR_SOURCES), refuses garbage, holds back a list that shrank by more
 * than half until the next fetch confirms it, applies good documents to the history store, and records every run.
 * Scheduled with node-cron in UTC, never overlapping; a failed run keeps the last good data. Staleness (no success
 * for TORLOGS_TOR_STALE_HOURS) shows in metrics, health and logs.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/load-config.js';
import { errorMessage, TorlogsError } from '../core/errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ClickHouseStore } from '../store/store.js';
import type { DocumentKind } from '../tor/tor-document.js';
import { parseTorSource } from '../tor/parse-tor-source.js';
import { writeTorDocument } from '../tor-store/tor-history-store.js';
import { readTorPolicy, reloadVerdictDictionaries } from '../tor-store/tor-policy-store.js';
import { fetchSource, type FetchOptions } from './fetch-source.js';
import { loadSourceState, recordSyncRun, type SyncRun } from './sync-state.js';

export interface SyncDeps {
  store: ClickHouseStore;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  fetchOptions?: FetchOptions;
  now?: () => number;
}

export interface SyncResult {
  source: string;
  url: string;
  outcome: SyncRun['outcome'];
  detail: string;
  observations: number;
}

export function configuredSources(cfg: Config): Array<{ name: string; kind: DocumentKind; url: string }> {
  const seen = new Map<string, number>();
  return cfg.torSources.map((entry) => {
    const eq = entry.indexOf('=');
    const kind = entry.slice(0, eq) as DocumentKind;
    const n = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, n);
    return { name: n === 1 ? kind : `${kind}${n}`, kind, url: entry.slice(eq + 1) };
  });
}

export async function runTorSyncOnce(d: SyncDeps): Promise<SyncResult[]> {
  const now = d.now ?? Date.now;
  const log = d.logger.child({ component: 'tor-sync' });
  const policy = await readTorPolicy(d.store);
  const results: SyncResult[] = [];
  let applied = 0;
  const t0 = performance.now();
  for (const src of configuredSources(d.config)) {
    const started = now();
    const state = await loadSourceState(d.store, src.name);
    const run: SyncRun = { startedAtMs: started, finishedAtMs: started, source: src.name, url: src.url, outcome: 'failed', httpStatus: 0, detail: '', sourceId: '', observations: 0, rejected: 0, etag: state.etag, lastModified: state.lastModified };
    const res = await fetchSource(src.url, { etag: state.etag || undefined, lastModified: state.lastModified || undefined, ...d.fetchOptions });
    if (res.kind === 'not_modified') {
      run.outcome = 'not_modified';
      run.httpStatus = 304;
    } else if (res.kind === 'failed') {
      run.httpStatus = res.status;
      run.detail = res.detail;
    } else {
      run.httpStatus = res.status;
      try {
        const fetchedAt = now();
        const doc = parseTorSource({ text: res.text, source: src.url, kind: src.kind, fetchedAtMs: fetchedAt, observedAtMs: src.kind === 'bulk' ? fetchedAt : undefined }, policy);
        const entries = new Set(doc.observations.map((o) => o.ip)).size;
        run.sourceId = doc.sourceId;
        run.observations = entries;
        run.rejected = doc.rejects.length;
        const shrunk = state.lastAppliedEntries > 0 && entries < state.lastAppliedEntries / 2;
        const confirmed = state.heldBackEntries > 0 && Math.abs(entries - state.heldBackEntries) <= state.heldBackEntries * 0.1;
        if (shrunk && !confirmed) {
          run.outcome = 'held_back';
          run.detail = `list shrank from ${state.lastAppliedEntries} to ${entries} IPs: held back until the next fetch confirms it`;
        } else {
          const w = await writeTorDocument(d.store, doc, 'sync', fetchedAt);
          run.outcome = w.status === 'imported' ? 'applied' : 'unchanged';
          run.etag = res.etag;
          run.lastModified = res.lastModified;
          run.detail = `${entries} IPs${doc.rejects.length ? `, ${doc.rejects.length} invalid lines (first: line ${doc.rejects[0]!.line} ${doc.rejects[0]!.reason})` : ''}${shrunk ? ' (shrink confirmed)' : ''}`;
          if (w.status === 'imported') applied++;
        }
      } catch (err) {
        if (!(err instanceof TorlogsError) || err.code !== 'tor_source_invalid') throw err;
        run.outcome = 'rejected';
        run.detail = errorMessage(err);
      }
    }
    run.finishedAtMs = now();
    await recordSyncRun(d.store, run);
    d.metrics.inc('tor_sync_runs_total', { source: src.name, outcome: run.outcome });
    if (run.outcome === 'applied' || run.outcome === 'unchanged' || run.outcome === 'not_modified') d.metrics.set('tor_last_success_seconds', Math.floor(run.finishedAtMs / 1000), { source: src.name });
    const level = run.outcome === 'failed' || run.outcome === 'rejected' ? 'warn' : 'info';
    log[level]({ source: src.name, url: src.url, outcome: run.outcome, status: run.httpStatus, detail: run.detail }, 'tor sync');
    results.push({ source: src.name, url: src.url, outcome: run.outcome, detail: run.detail, observations: run.observations });
  }
  if (applied > 0) await reloadVerdictDictionaries(d.store);
  d.metrics.observe('tor_sync_seconds', (performance.now() - t0) / 1000);
  return results;
}

/** true when no source succeeded within TORLOGS_TOR_STALE_HOURS */
export async function torStaleness(d: SyncDeps): Promise<{ stale: boolean; detail: string }> {
  const now = (d.now ?? Date.now)();
  let newest = 0;
  for (const src of configuredSources(d.config)) newest = Math.max(newest, (await loadSourceState(d.store, src.name)).lastSuccessMs);
  const hours = newest > 0 ? (now - newest) / 3_600_000 : Infinity;
  const stale = hours > d.config.torStaleHours;
  d.metrics.set('tor_stale', stale ? 1 : 0);
  return { stale, detail: newest > 0 ? `last successful sync ${new Date(newest).toISOString()} (${hours.toFixed(1)} h ago)` : 'no successful sync yet' };
}

export interface TorSyncService {
  task: ScheduledTask;
  runNow(): Promise<SyncResult[]>;
  health(): Promise<{ ok: boolean; detail: string }>;
  stop(): Promise<void>;
}

export function startTorSyncService(d: SyncDeps, onApplied?: () => void): TorSyncService {
  const log = d.logger.child({ component: 'tor-sync' });
  let running: Promise<SyncResult[]> | null = null;
  const runNow = () =>
    (running ??= runTorSyncOnce(d)
      .then((r) => {
        d.metrics.inc('job_runs_total', { job: 'tor_sync', outcome: 'success' });
        if (r.some((x) => x.outcome === 'applied')) onApplied?.();
        return r;
      })
      .catch((err: unknown) => {
        d.metrics.inc('job_runs_total', { job: 'tor_sync', outcome: 'failure' });
        log.error({ err: errorMessage(err) }, 'tor sync run failed; keeping the last good data');
        return [];
      })
      .finally(() => (running = null)));
  const task = cron.schedule(d.config.torSyncCron, () => runNow().then(() => undefined), { timezone: 'UTC', noOverlap: true, name: 'tor-sync' });
  return {
    task,
    runNow,
    async health() {
      const s = await torStaleness(d);
      if (s.stale) log.warn({ detail: s.detail }, `Tor data is stale (no successful sync within ${d.config.torStaleHours} h)`);
      return { ok: !s.stale, detail: s.detail };
    },
    async stop() {
      await task.stop();
      await running;
    },
  };
}
