/**
 * Rebalances under load (issue 3): one worker consumes a 6-partition topic while lines keep arriving; a second
 * worker joins the group mid-run (the first one's unwritten batches are dropped and re-read by the new owners),
 * then the first one leaves (its partitions move to the second). At the end every produced line is stored exactly
 * once: exact row and dead-letter counts, no source position twice.
 *
 * Both workers run in this process and share one embedded store: chDB lets one process own a data directory, so
 * two worker processes cannot write one embedded store (in production they share a ClickHouse server). Each worker
 * is the production ingest service with its own Kafka consumer in the same group on the real broker, so the
 * group protocol, revocation, rewinding to the committed offset and plan replay with dedup tokens are the real ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../shared/config/load-config.js';
import { startIngestService, type IngestService } from '../../shared/ingest/ingest-service.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { createMetrics, type Metrics } from '../../shared/observability/metrics.js';
import { NO_TOR_HISTORY } from '../../shared/pipeline/stages.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import { ensureSchema } from '../../shared/store/ensure-schema.js';
import { createTopic, groupCaughtUp } from '../helpers/kafka-progress.js';
import { produceCorpus, sumExpected, type Expected } from '../helpers/produce-corpus.js';
import { kafkaBrokers, requireKafka, uniqueName } from '../helpers/services.js';
import { storeCounts } from '../helpers/store-counts.js';
import { waitUntil } from '../helpers/worker-process.js';

interface Worker {
  service: IngestService;
  metrics: Metrics;
  /** partitions this worker wrote batches of */
  partitions: Set<number>;
  stored(): Promise<number>;
}

test('a second worker joins mid-run and the first leaves: every line stored exactly once', { timeout: 240_000 }, async () => {
  await requireKafka();
  const topic = uniqueName('t_ingest_rebalance');
  const group = uniqueName('g_ingest_rebalance');
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-rebalance-'));
  const config = loadConfig({
    TORLOGS_DATA_DIR: dir, TORLOGS_KAFKA_BROKERS: kafkaBrokers().join(','), TORLOGS_KAFKA_TOPICS: topic, TORLOGS_KAFKA_GROUP_ID: group,
    TORLOGS_KAFKA_DLQ_TOPIC: `${topic}_dlq`, TORLOGS_BATCH_MAX_ROWS: '5000', TORLOGS_BATCH_MAX_MS: '300',
  });
  const store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
  const workers: Worker[] = [];
  let producing = true;
  let producer: Promise<void> = Promise.resolve();
  try {
    await ensureSchema(store, config);
    const produced: Expected[] = [await produceCorpus(topic, 60_000, { partitions: 6, seed: 41, siteHeader: true })];
    await createTopic(`${topic}_dlq`);
    // lines keep arriving during both rebalances
    producer = (async () => {
      for (let seed = 100; producing; seed++) {
        produced.push(await produceCorpus(topic, 4000, { seed, fixtures: false, siteHeader: true }));
        await sleep(400);
      }
    })();
    const start = async (): Promise<Worker> => {
      const metrics = createMetrics();
      const partitions = new Set<number>();
      const service = await startIngestService({ config, store, logger: silentLogger(), metrics, tor: () => NO_TOR_HISTORY, onWritten: (w) => partitions.add(w.batch.partition) });
      const w = { service, metrics, partitions, stored: () => metrics.value('lines_stored_total') };
      workers.push(w);
      return w;
    };

    const a = await start();
    await waitUntil('the first worker to store 20,000 rows', async () => (await a.stored()) >= 20_000, 60_000, 50);
    const b = await start();
    await waitUntil('the second worker to store 10,000 rows after joining', async () => (await b.stored()) >= 10_000, 90_000, 50);
    assert.ok(b.partitions.size > 0 && b.partitions.size < 6, `the partitions were shared (second worker wrote ${[...b.partitions].join(',')})`);

    await a.service.stop(); // drains, commits, leaves the group
    workers.splice(workers.indexOf(a), 1);
    const bAtLeave = await b.stored();
    // lines arrive on every partition: the second worker writes all six once the first one's moved to it
    await waitUntil('the second worker to take over every partition', async () => b.partitions.size === 6 && (await b.stored()) >= bAtLeave + 20_000, 90_000, 50);

    producing = false;
    await producer;
    const expected = sumExpected(...produced);
    await waitUntil('the group to commit every offset', () => groupCaughtUp(topic, group), 90_000, 250);
    await b.service.stop();
    workers.length = 0;

    const c = await storeCounts(store, `kafka:${topic}`);
    assert.equal(c.distinctRows, expected.stored, 'every line is stored');
    assert.equal(c.rows, expected.stored, 'no line is stored twice');
    assert.deepEqual(c.rejected, expected.rejected);
    assert.equal(c.distinctRejected, Object.values(expected.rejected).reduce((x, y) => x + y, 0));
  } finally {
    producing = false;
    await producer.catch(() => undefined);
    for (const w of workers) await w.service.stop().catch(() => undefined);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
