/**
 * kafkajs 2.2.4 against the real Apache Kafka 4 broker (scripts/kafka.sh). Kafka 4.0 removed old protocol versions
 * (KIP-896) and kafkajs is no longer maintained, so this is the proof that the client the pipeline uses still works:
 * the protocol versions it negotiates, produce, a consumer group with manual commits, committed offsets, the admin
 * calls, idempotent and transactional producers, topic deletion. docs/local-services.md summarises the result.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import kafkajs from 'kafkajs';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { kafkaBrokers, requireKafka, uniqueName } from '../helpers/services.js';

// kafkajs is CommonJS: node's ESM loader only sees some of its named exports, the enums come from the default one
const { CompressionTypes, ConfigResourceTypes, Kafka, logLevel } = kafkajs;
const kafka = () => new Kafka({ clientId: 'torlogs-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });

/** ApiVersions v0 by hand: { apiKey: [minVersion, maxVersion] } as the broker advertises them */
function brokerApiVersions(broker: string): Promise<Map<number, [number, number]>> {
  const i = broker.lastIndexOf(':');
  const host = broker.slice(0, i);
  const port = Number(broker.slice(i + 1));
  const clientId = Buffer.from('torlogs-test');
  const req = Buffer.alloc(4 + 10 + clientId.length);
  req.writeInt32BE(10 + clientId.length, 0);
  req.writeInt16BE(18, 4); // ApiVersions
  req.writeInt16BE(0, 6); // v0
  req.writeInt32BE(1, 8); // correlation id
  req.writeInt16BE(clientId.length, 12);
  clientId.copy(req, 14);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => socket.write(req));
    socket.setTimeout(5000, () => socket.destroy(new Error(`no ApiVersions answer from ${broker}`)));
    let buf = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 4 || buf.length < 4 + buf.readInt32BE(0)) return;
      socket.end();
      const errorCode = buf.readInt16BE(8);
      if (errorCode !== 0) return reject(new Error(`ApiVersions error ${errorCode}`));
      const n = buf.readInt32BE(10);
      const out = new Map<number, [number, number]>();
      for (let k = 0, o = 14; k < n; k++, o += 6) out.set(buf.readInt16BE(o), [buf.readInt16BE(o + 2), buf.readInt16BE(o + 4)]);
      resolve(out);
    });
  });
}

test('every request kafkajs implements negotiates a version the Kafka 4 broker accepts (KIP-896)', async () => {
  await requireKafka();
  const broker = await brokerApiVersions(kafkaBrokers()[0]!);
  // KIP-896 removed Fetch v0-v3 in Kafka 4.0: a broker that still has them is not the one this test is about
  const fetchRange = broker.get(1);
  assert.ok(fetchRange && fetchRange[0] >= 4, `expected an Apache Kafka 4 broker (Fetch v0-v3 removed), got Fetch ${JSON.stringify(fetchRange)}`);

  // kafkajs picks min(its newest implemented version, broker max) and never looks at the broker's min
  // (kafkajs/src/protocol/requests/index.js lookup()): that choice must not fall below the broker's min.
  const require = createRequire(import.meta.url);
  const { requests } = require('kafkajs/src/protocol/requests/index.js') as { requests: Record<string, { versions: string[] }> };
  const apiKeys = require('kafkajs/src/protocol/requests/apiKeys.js') as Record<string, number>;
  const broken: string[] = [];
  let checked = 0;
  for (const [name, def] of Object.entries(requests)) {
    if (def.versions.length === 0) continue; // not implemented by kafkajs
    const range = broker.get(apiKeys[name]!);
    if (!range) continue; // e.g. SASL APIs the broker may not list; kafkajs reports those itself
    const chosen = Math.min(Math.max(...def.versions.map(Number)), range[1]);
    checked++;
    if (chosen < range[0]) broken.push(`${name}: kafkajs would send v${chosen}, broker accepts v${range[0]}-v${range[1]}`);
  }
  assert.deepEqual(broken, []);
  assert.ok(checked >= 30, `only ${checked} APIs checked`);
});

test('10,000 messages produced to a new topic come back exactly once through a consumer group with manual commits', { timeout: 60_000 }, async () => {
  await requireKafka();
  const k = kafka();
  const topic = uniqueName('t_roundtrip');
  const groupId = uniqueName('g_roundtrip');
  const N = 10_000;
  const value = (i: number) => `line ${i} ${'x'.repeat(i % 50)}`;
  const admin = k.admin();
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  let deleted = false;
  await admin.connect();
  try {
    assert.equal(await admin.createTopics({ topics: [{ topic, numPartitions: 4, replicationFactor: 1 }], waitForLeaders: true }), true);
    assert.equal((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length, 4);

    producer = k.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    for (let i = 0; i < N; i += 1000) {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 1000 }, (_, j) => ({ key: `k${i + j}`, value: value(i + j) })) });
    }
    await producer.disconnect();
    producer = undefined;
    const ends = await admin.fetchTopicOffsets(topic);
    assert.equal(ends.reduce((s, p) => s + Number(p.high), 0), N);
    assert.ok(ends.every((p) => Number(p.high) > 0), 'keys spread over all 4 partitions');

    const seen = new Map<string, string>();
    const perPartitionCommitted = new Map<number, bigint>();
    let duplicates = 0;
    const c = k.consumer({ groupId, maxWaitTimeInMs: 200, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    consumer = c;
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out with ${seen.size} of ${N} messages`)), 45_000);
      c.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat }) => {
          for (const m of batch.messages) {
            const key = m.key?.toString() ?? '';
            if (seen.has(key)) duplicates++;
            seen.set(key, m.value?.toString() ?? '');
          }
          // commit after processing: the next offset to read, for this partition only
          const next = BigInt(batch.lastOffset()) + 1n;
          await c.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next.toString() }]);
          perPartitionCommitted.set(batch.partition, next);
          await heartbeat();
          if (seen.size >= N) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    });
    await c.disconnect();
    consumer = undefined;

    assert.equal(duplicates, 0);
    assert.equal(seen.size, N);
    for (let i = 0; i < N; i++) assert.equal(seen.get(`k${i}`), value(i), `message k${i}`);

    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const partitions = committed[0]!.partitions;
    assert.equal(partitions.length, 4);
    assert.equal(partitions.reduce((s, p) => s + Number(p.offset), 0), N);
    for (const p of partitions) {
      assert.equal(p.offset, ends.find((e) => e.partition === p.partition)!.high, `partition ${p.partition} committed to its end`);
      assert.equal(BigInt(p.offset), perPartitionCommitted.get(p.partition));
    }

    await admin.deleteGroups([groupId]);
    await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
    deleted = true;
    assert.ok(!(await admin.listTopics()).includes(topic), 'topic deleted');
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    // (kafkajs retries deleting an unknown topic for seconds: only clean up what a failure left behind)
    if (!deleted) await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});

test('admin calls, idempotent and transactional producers work against the Kafka 4 broker', { timeout: 60_000 }, async () => {
  await requireKafka();
  const k = kafka();
  const topic = uniqueName('t_admin');
  const groupId = uniqueName('g_admin');
  const txGroupId = uniqueName('g_tx');
  const admin: Admin = k.admin();
  let deleted = false;
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    assert.equal(cluster.brokers.length, 1);
    assert.ok(cluster.clusterId.length > 0);

    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
    assert.equal((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length, 3);

    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }] });
    assert.equal(configs.resources[0]!.configEntries.find((e) => e.configName === 'retention.ms')?.configValue, '3600000');

    // idempotent producer (InitProducerId) with compression, as the DLQ producer may use
    const idem = k.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await idem.connect();
    await idem.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: [0, 1, 2].map((p) => ({ partition: p, key: `p${p}`, value: `idempotent ${p}` })) });
    await idem.disconnect();

    // transactional producer: AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn
    const tx = k.producer({ transactionalId: uniqueName('tx'), idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await tx.connect();
    const t = await tx.transaction();
    await t.send({ topic, messages: [{ partition: 0, value: 'in a transaction' }] });
    await t.sendOffsets({ consumerGroupId: txGroupId, topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }] });
    await t.commit();
    await tx.disconnect();
    // EndTxn returns before the coordinator has written the commit markers; kafkajs' OffsetFetch v4 cannot ask
    // for stable offsets (v7), so the transactional commit shows up a moment later
    let txOffset: string | undefined;
    for (let i = 0; i < 50 && txOffset !== '1'; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      txOffset = (await admin.fetchOffsets({ groupId: txGroupId, topics: [topic] }))[0]!.partitions.find((p) => p.partition === 0)?.offset;
    }
    assert.equal(txOffset, '1', 'transactional offset commit visible');

    // a consumer group: membership, describe, list, offsets reset and set while it is empty
    const consumer = k.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let got = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed ${got} of 4`)), 30_000);
      consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          got++;
          await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
          if (got >= 4) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    });
    assert.equal((await admin.describeGroups([groupId])).groups[0]!.state, 'Stable');
    assert.ok((await admin.listGroups()).groups.some((g) => g.groupId === groupId));
    await consumer.disconnect();
    // (setOffsets joins the now empty group with a temporary consumer and commits; ~5 s: it waits for a fetch)
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 1, offset: '1' }] });
    const after = await admin.fetchOffsets({ groupId, topics: [topic] });
    assert.equal(after[0]!.partitions.find((p) => p.partition === 1)?.offset, '1');

    const atTime = await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - 60_000);
    assert.equal(atTime.length, 3);
    // kafkajs quirk, not a broker one: deleteTopicRecords needs the topic's metadata in the admin client's cache
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 1, offset: '1' }] });
    assert.equal((await admin.fetchTopicOffsets(topic)).find((p) => p.partition === 1)?.low, '1');

    const groupsDeleted = await admin.deleteGroups([groupId, txGroupId]);
    assert.ok(groupsDeleted.every((g) => g.errorCode === 0));
    await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
    deleted = true;
    assert.ok(!(await admin.listTopics()).includes(topic));
  } finally {
    if (!deleted) await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});
