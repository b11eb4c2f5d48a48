/**
 * kafkajs against the real Apache Kafka 4.x broker (KIP-896 removed old protocol versions in 4.0): admin, produce,
 * consumer group with manual commits, committed offsets, topic deletion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers, requireKafka, uniqueName } from '../helpers/services.js';

test('10,000 messages produced to a new topic come back exactly once through a consumer group with manual commits', async () => {
  await requireKafka();
  const kafka = new Kafka({ clientId: 'torlogs-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const topic = uniqueName('t_roundtrip');
  const groupId = uniqueName('g_roundtrip');
  const admin = kafka.admin();
  await admin.connect();
  assert.equal(await admin.createTopics({ topics: [{ topic, numPartitions: 4, replicationFactor: 1 }], waitForLeaders: true }), true);

  const producer = kafka.producer();
  await producer.connect();
  const N = 10_000;
  for (let i = 0; i < N; i += 1000) {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 1000 }, (_, j) => ({ key: `k${i + j}`, value: `line ${i + j} ${'x'.repeat((i + j) % 50)}` })) });
  }
  await producer.disconnect();

  const seen = new Map<string, string>();
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let duplicates = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out with ${seen.size} of ${N}`)), 60_000);
    consumer
      .run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }) => {
          for (const m of batch.messages) {
            const k = m.key!.toString();
            if (seen.has(k)) duplicates++;
            seen.set(k, m.value!.toString());
            resolveOffset(m.offset);
          }
          const last = batch.lastOffset();
          await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(last) + 1n).toString() }] }] });
          await heartbeat();
          if (seen.size >= N) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();

  assert.equal(seen.size, N);
  assert.equal(duplicates, 0);
  for (let i = 0; i < N; i += 997) assert.equal(seen.get(`k${i}`), `line ${i} ${'x'.repeat(i % 50)}`);

  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const total = committed[0]!.partitions.reduce((s, p) => s + Number(p.offset), 0);
  assert.equal(total, N);
  const ends = await admin.fetchTopicOffsets(topic);
  assert.equal(ends.reduce((s, p) => s + Number(p.high), 0), N);

  await admin.deleteGroups([groupId]);
  await admin.deleteTopics({ topics: [topic] });
  assert.ok(!(await admin.listTopics()).includes(topic));
  await admin.disconnect();
});
