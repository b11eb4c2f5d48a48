/**
 * File source for backfill and archives: plain or gzip (detected by magic bytes), or stdin. Same stages and sink
 * as Kafka. Batches close every `batchMaxRows` lines, so re-ingesting the same file forms the same batches and
 * the same deduplication tokens: a re-run stores nothing twice.
 */
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable, type Transform, type Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Sink } from './clickhouse-sink.js';
import { InflightGate } from './inflight-gate.js';
import type { LineProcessor } from './line-processor.js';
import { PartitionWriter, type WrittenBatch } from './partition-writer.js';
import { recordWritten } from './ingest-metrics.js';

export interface FileIngestOptions {
  /** path, or '-' for stdin */
  path: string;
  site: string;
  processor: LineProcessor;
  sink: Sink;
  batchMaxRows: number;
  maxInflightBatches: number;
  logger: Logger;
  metrics: Metrics;
  stdin?: Readable;
  onProgress?: (p: FileProgress) => void;
}

export interface FileProgress {
  lines: number;
  bytesRead: number;
  totalBytes: number;
  stored: number;
  rejected: number;
}

export interface FileIngestResult extends FileProgress {
  source: string;
  rejectedByReason: Record<string, number>;
  seconds: number;
}

export async function ingestFile(o: FileIngestOptions): Promise<FileIngestResult> {
  const t0 = performance.now();
  const source = o.path === '-' ? 'file:-' : `file:${resolve(o.path)}`;
  const totalBytes = o.path === '-' ? 0 : statSync(o.path).size;
  const raw: Readable = o.path === '-' ? (o.stdin ?? process.stdin) : createReadStream(o.path, { highWaterMark: 1 << 20 });
  const progress: FileProgress = { lines: 0, bytesRead: 0, totalBytes, stored: 0, rejected: 0 };
  const byReason: Record<string, number> = {};
  raw.on('data', (c: Buffer) => (progress.bytesRead += c.length));
  const input = maybeGunzip(raw);
  const gate = new InflightGate(o.maxInflightBatches);
  const writer = new PartitionWriter({
    source, partition: 0, sink: o.sink, planLog: null, publishDeadLetters: null, gate, maxRows: o.batchMaxRows, logger: o.logger, plans: [],
    commit: async () => undefined,
    onWritten: (w: WrittenBatch) => {
      progress.stored += w.stored;
      progress.rejected += w.rejected.length;
      for (const r of w.rejected) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
      recordWritten(o.metrics, w);
      o.onProgress?.(progress);
    },
  });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0n;
  for await (const line of rl) {
    lineNo++;
    const now = Date.now();
    const pos = { source, partition: 0, offset: lineNo, lineIndex: 0 };
    const b = writer.batchFor(lineNo, now);
    if (line.trim() === '') o.processor.reject({ reason: 'empty_line', stage: 'decode', field: 'line', detail: `line ${lineNo} is empty` }, line, o.site, pos, b, now);
    else o.processor.process(line, o.site, pos, b, now);
    writer.messageDone(lineNo);
    progress.lines++;
    if (gate.full) await gate.waitBelowMax(1000);
    if (writer.error) throw writer.error;
  }
  o.metrics.inc('lines_received_total', { source: 'file' }, progress.lines);
  await writer.flush();
  o.onProgress?.(progress);
  return { ...progress, source, rejectedByReason: byReason, seconds: (performance.now() - t0) / 1000 };
}

/** Plain or gzip, decided by the first bytes (1f 8b). */
function maybeGunzip(raw: Readable): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  let started = false;
  raw.once('data', (first: Buffer) => {
    started = true;
    const gz = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
    const sink: Writable = gz ? createGunzip() : out;
    if (gz) {
      (sink as Transform).pipe(out);
      sink.on('error', (e) => out.destroy(e));
    }
    sink.write(first);
    raw.pipe(sink);
  });
  raw.once('end', () => {
    if (!started) out.end(); // empty input: no data event, nothing piped
  });
  raw.on('error', (e) => out.destroy(e));
  return out;
}
