/**
 * The ClickHouse sink against the embedded store when the engine refuses rows (issue 3, dead letters): a batch of
 * real encoded rows with three rows whose IP column the engine cannot parse is bisected down to those three, which
 * become store_rejected dead letters with their original lines; every other row is stored once. Also checks the
 * batch bytes the insert sends are exactly the encoded rows (row-buffer.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../shared/config/load-config.js';
import { newBatch } from '../../shared/ingest/batch.js';
import { createClickHouseSink } from '../../shared/ingest/clickhouse-sink.js';
import { buildLineStages } from '../../shared/ingest/line-stages.js';
import { RowBuffer } from '../../shared/ingest/row-buffer.js';
import { REQUEST_COLUMNS } from '../../shared/ingest/row-encoder.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { createMetrics } from '../../shared/observability/metrics.js';
import { NO_TOR_HISTORY } from '../../shared/pipeline/stages.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import { ensureSchema } from '../../shared/store/ensure-schema.js';
import { generateLines } from '../helpers/generate-lines.js';
import { storeCounts } from '../helpers/store-counts.js';

test('a batch with rows the engine refuses is bisected to them: store_rejected dead letters, every other row once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-bisect-'));
  const store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
  try {
    const config = loadConfig({ TORLOGS_DATA_DIR: dir });
    await ensureSchema(store, config);
    const stages = await buildLineStages(config, silentLogger(), createMetrics(), () => NO_TOR_HISTORY);
    const source = 'test:bisect';
    const b = newBatch(source, 0, 0n, Date.UTC(2024, 0, 1));
    const bad = new Set([17, 500, 998]);
    const lines = [...generateLines(1000, { seed: 3 })].map((g) => g.line);
    for (const [i, line] of lines.entries()) {
      assert.equal(stages.processor.process(line, 'shop.example', { source, partition: 0, offset: BigInt(i), lineIndex: 0 }, b, Date.UTC(2024, 0, 1)), true);
      b.lastOffset = BigInt(i);
    }
    assert.equal(b.rows.count, 1000);
    assert.equal(b.rows.bytes().toString('utf8'), Array.from({ length: 1000 }, (_, i) => b.rows.row(i)).join(''));
    // corrupt three rows after encoding: the client IP column becomes text the IPv6 type refuses
    const good = b.rows;
    b.rows = new RowBuffer();
    for (let i = 0; i < 1000; i++) {
      const cols = good.row(i).split('\t');
      if (bad.has(i)) cols[REQUEST_COLUMNS.indexOf('ip')] = 'not-an-address';
      b.rows.push(cols.join('\t'));
    }
    const sink = createClickHouseSink({ store, logger: silentLogger(), metrics: createMetrics() });
    const res = await sink.write(b);
    assert.equal(res.stored, 997);
    assert.deepEqual(res.rejected.map((r) => [r.reason, r.stage, Number(r.offset), r.raw]), [...bad].map((i) => ['store_rejected', 'sink', i, lines[i]]));
    const c = await storeCounts(store, source);
    assert.equal(c.rows, 997);
    assert.equal(c.distinctRows, 997);
    assert.deepEqual(c.rejected, { store_rejected: 3 });
    const offsets = await store.query<{ o: string }>('SELECT toString(source_offset) AS o FROM ${DB}.ingest_rejects WHERE source = {s:String} ORDER BY source_offset', { params: { s: source } });
    assert.deepEqual(offsets.map((r) => Number(r.o)), [...bad]);
    await stages.close();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
