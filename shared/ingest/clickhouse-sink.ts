/**
 * The ClickHouse sink: writes one batch as (1) its rows into `requests`, bisecting a batch the server refuses
 * down to the refused rows, which become `store_rejected` dead letters, then (2) every dead letter into
 * `ingest_rejects`. Each insert carries a deterministic insert_deduplication_token, so replaying the same
 * batch after a crash, a rebalance or an outage is a no-op. Retriable failures are retried with backoff
 * until the insert succeeds or the sink is aborted: nothing is dropped.
 */
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { isDataError } from '../store/clickhouse-errors.js';
import type { ClickHouseStore } from '../store/store.js';
import { batchToken, type Batch, type DeadLetterRecord } from './batch.js';
import { withRetry } from './retry.js';
import { REJECT_COLUMNS, REQUEST_COLUMNS, encodeRejectRow } from './row-encoder.js';

export interface SinkWriteResult {
  stored: number;
  rejected: DeadLetterRecord[];
}

export interface Sink {
  write(batch: Batch, onWait?: () => Promise<void>): Promise<SinkWriteResult>;
  healthcheck(): Promise<{ ok: boolean; detail?: string }>;
  close(): Promise<void>;
}

export interface ClickHouseSinkOptions {
  store: ClickHouseStore;
  logger: Logger;
  metrics: Metrics;
  signal?: AbortSignal;
  /** backoff of retried inserts (default 100 ms doubling up to 15 s) */
  retry?: { initialMs?: number; maxMs?: number };
}

export function createClickHouseSink(o: ClickHouseSinkOptions): Sink {
  const { store, logger, metrics } = o;

  async function insertRows(table: 'requests' | 'ingest_rejects', columns: readonly string[], data: Buffer | string, token: string, onWait?: () => Promise<void>): Promise<void> {
    const t0 = performance.now();
    await withRetry(() => store.insert({ table, columns, format: 'TabSeparated', data, dedupToken: token }), {
      ...o.retry,
      signal: o.signal,
      onWait,
      onRetry: (err, attempt, delay) => {
        metrics.inc('insert_retries_total', { table });
        logger.warn({ err: (err as Error).message, table, token, attempt, delayMs: Math.round(delay) }, 'insert failed, retrying');
      },
    });
    metrics.observe('batch_insert_seconds', (performance.now() - t0) / 1000, { table });
  }

  /** Inserts rows[lo, hi); on a data error splits the range until single refused rows remain. */
  async function insertBisecting(b: Batch, lo: number, hi: number, token: string, refused: Map<number, string>, onWait?: () => Promise<void>): Promise<void> {
    if (hi <= lo) return;
    try {
      await insertRows('requests', REQUEST_COLUMNS, b.rows.bytes(lo, hi), token, onWait);
    } catch (err) {
      if (!isDataError(err)) throw err;
      if (hi - lo === 1) {
        refused.set(lo, (err as Error).message);
        return;
      }
      const mid = lo + Math.floor((hi - lo) / 2);
      logger.warn({ token, rows: hi - lo }, 'server refused rows, bisecting the batch');
      await insertBisecting(b, lo, mid, `${token}/a`, refused, onWait);
      await insertBisecting(b, mid, hi, `${token}/b`, refused, onWait);
    }
  }

  return {
    async write(b, onWait) {
      const token = batchToken(b);
      const refused = new Map<number, string>();
      if (b.rows.count > 0) {
        await insertBisecting(b, 0, b.rows.count, `requests:${token}`, refused, onWait);
        metrics.observe('batch_rows', b.rows.count - refused.size);
      }
      const receivedAt = b.openedAtMs;
      const storeRejects: DeadLetterRecord[] = [...refused].map(([i, error]) => {
        const pos = { source: b.source, partition: b.partition, offset: BigInt(b.rowOffsets[i]!), lineIndex: b.rowLineIndexes[i]! };
        const site = b.rowSites[i]!;
        const rej = { reason: 'store_rejected' as const, stage: 'sink' as const, field: '', detail: error };
        return { ...rej, site, ...pos, raw: b.rowRaw[i]!, tsv: encodeRejectRow(rej, b.rowRaw[i]!, site, pos, receivedAt) };
      });
      const rejected = storeRejects.length > 0 ? [...b.rejects, ...storeRejects] : b.rejects;
      if (rejected.length > 0) {
        await insertRows('ingest_rejects', REJECT_COLUMNS, rejected.map((r) => r.tsv).join(''), `rejects:${token}`, onWait);
      }
      return { stored: b.rows.count - refused.size, rejected };
    },
    async healthcheck() {
      const h = await store.healthcheck();
      return { ok: h.ok, detail: h.detail };
    },
    async close() {},
  };
}
