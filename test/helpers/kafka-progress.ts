/** Kafka-side truth for ingest tests: a group is done when its committed offsets reach the topic's end offsets. */
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from './services.js';

export async function groupCaughtUp(topic: string, groupId: string): Promise<boolean> {
  const admin = new Kafka({ clientId: 'torlogs-test-progress', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const c = new Map(committed[0]!.partitions.map((p) => [p.partition, Number(p.offset)]));
    return ends.every((e) => Number(e.high) === 0 || c.get(e.partition) === Number(e.high));
  } finally {
    await admin.disconnect();
  }
}

export async function countMessages(topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'torlogs-test-count', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export async function createTopic(topic: string, partitions = 1): Promise<void> {
  const admin = new Kafka({ clientId: 'torlogs-test-topics', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
