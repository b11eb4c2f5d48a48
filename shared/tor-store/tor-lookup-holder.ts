/**
 * Holds the current TorIndex for a process and swaps in a new one when the stored history version changes
 * (polled every TORLOGS_TOR_POLL_SECONDS), so workers learn about new history without restart. Lookups never
 * wait: until a history exists every answer is `unknown`.
 */
import type { Config } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import { NO_TOR_HISTORY, type TorStatusLookup } from '../pipeline/stages.js';
import type { ClickHouseStore } from '../store/store.js';
import type { TorIndex } from '../tor/tor-index.js';
import { loadTorIndex } from './load-tor-index.js';
import { historyVersion } from './tor-history-store.js';

export interface TorLookupHolder {
  current: () => TorStatusLookup;
  /** reload now if the version changed; resolves true when a new index was swapped in */
  refresh(): Promise<boolean>;
  health(): { ok: boolean; detail: string };
  close(): void;
}

export async function openTorLookup(store: ClickHouseStore, cfg: Config, logger: Logger, opts: { poll?: boolean } = {}): Promise<TorLookupHolder> {
  const log = logger.child({ component: 'tor-index' });
  let index: TorIndex | null = null;
  let lookup: TorStatusLookup = NO_TOR_HISTORY;
  let lastError = '';
  let refreshing: Promise<boolean> | null = null;

  async function doRefresh(): Promise<boolean> {
    const v = await historyVersion(store);
    if (v === 0 || (index && index.version === v)) return false;
    const t0 = performance.now();
    const next = await loadTorIndex(store);
    index = next;
    lookup = next; // atomic swap: the next lookup uses the new history
    log.info({ version: next.version, ips: next.ips, ms: Math.round(performance.now() - t0) }, 'Tor history index loaded');
    return true;
  }
  const refresh = () =>
    (refreshing ??= doRefresh()
      .then((r) => {
        lastError = '';
        return r;
      })
      .catch((err: unknown) => {
        lastError = (err as Error).message;
        log.error({ err: lastError }, 'Tor history reload failed; keeping the previous index');
        return false;
      })
      .finally(() => (refreshing = null)));

  await refresh();
  const timer = opts.poll === false ? null : setInterval(() => void refresh(), cfg.torPollSeconds * 1000);
  timer?.unref();
  return {
    current: () => lookup,
    refresh,
    health: () => ({
      ok: lastError === '',
      detail: lastError || (index ? `history version ${new Date(index.version).toISOString()}, ${index.ips} exit IPs` : 'no Tor history yet: verdicts at ingest are unknown'),
    }),
    close: () => {
      if (timer) clearInterval(timer);
    },
  };
}
