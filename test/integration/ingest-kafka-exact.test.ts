/**
 * Kafka → worker → embedded ClickHouse, accounted exactly: every real fixture line plus 1,000,000 generated lines;
 * rows stored + lines dead-lettered = lines produced, with the expected count per reason; nothing twice.
 * Then a crash: kill -9 a worker mid-run, start it again: every line stored exactly once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countMessages, groupCaughtUp } from '../helpers/kafka-progress.js';
import { produceCorpus } from '../helpers/produce-corpus.js';
import { kafkaBrokers, requireKafka, uniqueName } from '../helpers/services.js';
import { embeddedCounts } from '../helpers/store-counts.js';
import { startWorker, waitUntil } from '../helpers/worker-process.js';

function workerEnv(dataDir: string, topic: string, group: string, dlq: string): Record<string, string> {
  return {
    TORLOGS_DATA_DIR: dataDir,
    TORLOGS_KAFKA_BROKERS: kafkaBrokers().join(','),
    TORLOGS_KAFKA_TOPICS: topic,
    TORLOGS_KAFKA_GROUP_ID: group,
    TORLOGS_KAFKA_DLQ_TOPIC: dlq,
    TORLOGS_BATCH_MAX_ROWS: '20000',
    TORLOGS_BATCH_MAX_MS: '500',
  };
}

async function createTopic(topic: string): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ clientId: 't', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
}

test('all fixture lines + 1,000,000 generated lines are accounted for exactly', { timeout: 900_000 }, async () => {
  await requireKafka();
  const topic = uniqueName('t_ingest_exact');
  const group = uniqueName('g_ingest_exact');
  const dlq = `${topic}_dlq`;
  await createTopic(dlq);
  const expected = await produceCorpus(topic, 1_000_000);
  assert.equal(expected.lines, 10_052 + 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-exact-'));
  try {
    const w = await startWorker(workerEnv(dir, topic, group, dlq));
    await waitUntil('the group to commit every offset', async () => (w.assertAlive(), groupCaughtUp(topic, group)), 600_000, 1000);
    assert.equal(await w.metric('lines_stored_total') + (await w.metric('lines_rejected_total')), expected.lines);
    assert.equal(await w.stop(), 0, w.stderr().slice(-2000));
    const c = await embeddedCounts(dir, `kafka:${topic}`);
    assert.equal(c.rows, expected.stored);
    assert.equal(c.distinctRows, expected.stored, 'no line stored twice');
    assert.deepEqual(c.rejected, expected.rejected);
    assert.equal(c.rows + Object.values(c.rejected).reduce((a, b) => a + b, 0), expected.lines);
    assert.equal(await countMessages(dlq), Object.values(expected.rejected).reduce((a, b) => a + b, 0), 'every dead letter is on the DLQ topic');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kill -9 a worker mid-run and start it again: every line exactly once', { timeout: 600_000 }, async () => {
  await requireKafka();
  const topic = uniqueName('t_ingest_crash');
  const group = uniqueName('g_ingest_crash');
  const dlq = `${topic}_dlq`;
  await createTopic(dlq);
  const expected = await produceCorpus(topic, 400_000, { seed: 11 });
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-crash-'));
  try {
    const env = workerEnv(dir, topic, group, dlq);
    const first = await startWorker(env);
    await waitUntil('a third of the lines to be stored', async () => (first.assertAlive(), (await first.metric('lines_stored_total')) > expected.lines / 3), 300_000, 100);
    await first.kill();
    const second = await startWorker(env);
    await waitUntil('the group to commit every offset', async () => (second.assertAlive(), groupCaughtUp(topic, group)), 300_000, 1000);
    assert.equal(await second.stop(), 0, second.stderr().slice(-2000));
    const c = await embeddedCounts(dir, `kafka:${topic}`);
    assert.equal(c.rows, expected.stored);
    assert.equal(c.distinctRows, expected.stored, 'no line stored twice after the crash');
    assert.deepEqual(c.rejected, expected.rejected);
    assert.equal(c.distinctRejected, Object.values(expected.rejected).reduce((a, b) => a + b, 0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
