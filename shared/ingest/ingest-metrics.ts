/** Metric updates for a written batch: stored rows and dead letters by reason. */
import type { Metrics } from '../observability/metrics.js';
import type { WrittenBatch } from './partition-writer.js';

export function recordWritten(metrics: Metrics, w: WrittenBatch): void {
  const source = w.batch.source.startsWith('kafka:') ? 'kafka' : 'file';
  metrics.inc('lines_stored_total', { source }, w.stored);
  const byReason = new Map<string, number>();
  for (const r of w.rejected) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
  for (const [reason, n] of byReason) metrics.inc('lines_rejected_total', { source, reason }, n);
}
