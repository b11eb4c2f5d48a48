/**
 * Kafka source: one consumer group; per partition a PartitionWriter builds deterministic batches and commits
 * offsets only after ClickHouse (and the DLQ) acknowledged everything before them. Back-pressure: when the
 * in-flight gate is full the batch handler waits (heartbeating), so the consumer stops fetching.
 */
import { Kafka, logLevel, type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import { TorlogsError } from '../core/errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { BatchPlanLog } from './batch-plan-log.js';
import type { Sink } from './clickhouse-sink.js';
import { createDlqPublisher } from './dlq-producer.js';
import { InflightGate } from './inflight-gate.js';
import type { LineProcessor } from './line-processor.js';
import type { MessageDecoder } from './message-decoder.js';
import { PartitionWriter, type WrittenBatch } from './partition-writer.js';
import { recordWritten } from './ingest-metrics.js';

/**
 * The worker's consumer session and fetch settings (bench:ingest's consume-only reader uses the same). Fetches of
 * 1 MB per partition / 4 MB per request: bench:ingest showed ~100 MB less peak RSS with 2 / 8 MB than with 8 / 32 MB,
 * and 1 / 4 MB another ~28 MB less when every line is its own message (kafkajs holds an object per message), at the
 * same lines/s: a fetch of 1 MB is ~3,000–5,000 lines, more than one eachBatch round needs.
 */
export const KAFKA_FETCH = { sessionTimeout: 45_000, heartbeatInterval: 3000, maxWaitTimeInMs: 500, maxBytesPerPartition: 1024 * 1024, maxBytes: 4 * 1024 * 1024 } as const;

export interface KafkaIngestOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topics: string[];
  dlqTopic: string;
  topicSites: Map<string, string>;
  defaultSite: string;
  batchMaxRows: number;
  batchMaxMs: number;
  maxInflightBatches: number;
  decoder: MessageDecoder;
  processor: LineProcessor;
  sink: Sink;
  planLog: BatchPlanLog;
  logger: Logger;
  metrics: Metrics;
  /** backoff of retried plan records (default: retry.ts's) and the abort of those retries (shutdown) */
  retry?: { initialMs?: number; maxMs?: number };
  signal?: AbortSignal;
  /** called for every written batch (tests, reconciliation) */
  onWritten?: (w: WrittenBatch) => void;
  /** called when a partition fails permanently (non-retriable store error): the service should exit */
  onFatal?: (err: unknown) => void;
}

export interface KafkaIngest {
  start(): Promise<void>;
  /** drain: stop fetching, write and commit everything buffered, leave the group */
  stop(): Promise<void>;
  health(): { ok: boolean; detail: string };
}

export function createKafkaIngest(o: KafkaIngestOptions): KafkaIngest {
  const log = o.logger.child({ component: 'kafka-ingest' });
  const kafka = new Kafka({ clientId: o.clientId, brokers: o.brokers, logLevel: logLevel.WARN, logCreator: kafkaLogCreator(log) });
  const consumer: Consumer = kafka.consumer({ groupId: o.groupId, ...KAFKA_FETCH, maxWaitTimeInMs: Math.min(500, o.batchMaxMs) });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
  const admin = kafka.admin();
  const gate = new InflightGate(o.maxInflightBatches, (n) => o.metrics.set('inflight_batches', n));
  const writers = new Map<string, PartitionWriter>();
  const abort = new AbortController();
  const publish = createDlqPublisher(producer, o.dlqTopic, abort.signal);
  let active = 0;
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let lastError = '';

  consumer.on(consumer.events.REBALANCING, () => revokeAll('rebalance'));
  consumer.on(consumer.events.CRASH, (e) => {
    lastError = String(e.payload.error?.message ?? e.payload.error);
    revokeAll('crash');
  });

  function revokeAll(why: string): void {
    if (writers.size === 0) return;
    log.info({ why, partitions: writers.size }, 'dropping unwritten batches; the partition owner re-reads them');
    for (const w of writers.values()) void w.revoke();
    writers.clear();
  }

  /** the committed offset of the group, or the log start when nothing is committed yet */
  async function startOffset(topic: string, partition: number): Promise<bigint> {
    const committed = await admin.fetchOffsets({ groupId: o.groupId, topics: [topic] });
    const c = committed[0]?.partitions.find((x) => x.partition === partition);
    if (c && Number(c.offset) >= 0) return BigInt(c.offset);
    const ends = await admin.fetchTopicOffsets(topic);
    return BigInt(ends.find((x) => x.partition === partition)?.low ?? '0');
  }

  async function writerFor(topic: string, partition: number, from: bigint, heartbeat: () => Promise<void>): Promise<PartitionWriter> {
    const key = `${topic}:${partition}`;
    const w = writers.get(key);
    if (w) return w;
    const source = `kafka:${topic}`;
    const plans = await o.planLog.load(source, partition, from);
    if (plans.length > 0) log.info({ topic, partition, plans: plans.length, from: from.toString() }, 'replaying recorded batch plans');
    const writer: PartitionWriter = new PartitionWriter({
      source, partition, sink: o.sink, planLog: o.planLog, publishDeadLetters: publish, gate, maxRows: o.batchMaxRows, logger: log, plans,
      onWait: heartbeat,
      recordRetry: { ...o.retry, signal: o.signal, onRetry: () => o.metrics.inc('insert_retries_total', { table: 'ingest_batches' }) },
      commit: async (next) => {
        try {
          await consumer.commitOffsets([{ topic, partition, offset: next.toString() }]);
        } catch (err) {
          if (writer.revoked) log.info({ topic, partition, err: (err as Error).message }, 'commit after revoke refused; the new owner replays the batch (deduplicated)');
          else throw err;
        }
      },
      onAbandoned: () => o.metrics.inc('batches_revoked_total'),
      onWritten: (wb) => {
        recordWritten(o.metrics, wb);
        o.onWritten?.(wb);
      },
    });
    writers.set(key, writer);
    return writer;
  }

  async function eachBatch(p: EachBatchPayload): Promise<void> {
    active++;
    try {
      const { batch } = p;
      const first = BigInt(batch.firstOffset() ?? '0');
      if (!writers.has(`${batch.topic}:${batch.partition}`)) {
        // a new owner (start, rebalance) must begin exactly at the committed offset: after dropped batches the
        // client's fetch position may be ahead of it, and skipping ahead would commit past unwritten lines
        const start = await startOffset(batch.topic, batch.partition);
        if (first > start) {
          log.info({ topic: batch.topic, partition: batch.partition, from: first.toString(), to: start.toString() }, 'rewinding to the committed offset');
          consumer.seek({ topic: batch.topic, partition: batch.partition, offset: start.toString() });
          return;
        }
      }
      const writer = await writerFor(batch.topic, batch.partition, first, p.heartbeat);
      if (writer.error) throw writer.error;
      const source = `kafka:${batch.topic}`;
      const topicSite = o.topicSites.get(batch.topic) ?? o.defaultSite;
      for (const m of batch.messages) {
        if (!p.isRunning() || p.isStale() || writer.revoked) break;
        const offset = BigInt(m.offset);
        const now = Date.now();
        const headerSite = m.headers?.site;
        const siteHint = headerSite ? String(headerSite) : m.key && m.key.length > 0 ? m.key.toString() : topicSite;
        const decoded = o.decoder(m.value ?? Buffer.alloc(0));
        let n = 0;
        for (const item of decoded) {
          const pos = { source, partition: batch.partition, offset, lineIndex: item.lineIndex };
          const b = writer.batchFor(offset, now);
          if (item.ok) o.processor.process(item.line, siteHint, pos, b, now);
          else o.processor.reject(item.rejection, item.raw, siteHint, pos, b, now);
          n++;
        }
        o.metrics.inc('lines_received_total', { source: 'kafka' }, n);
        writer.messageDone(offset);
        p.resolveOffset(m.offset);
        while (gate.full && p.isRunning() && !p.isStale()) {
          o.metrics.set('consumer_paused', 1);
          await gate.waitBelowMax(1000);
          await p.heartbeat();
        }
        o.metrics.set('consumer_paused', 0);
      }
      // plans of batches closed here are recorded before the handler returns (and so before a rebalance can hand
      // the partition to another worker, which replays them)
      await writer.plansRecorded();
      o.metrics.set('consumer_lag', Number(batch.offsetLag()), { topic: batch.topic, partition: batch.partition });
      await p.heartbeat();
    } finally {
      active--;
    }
  }

  return {
    async start() {
      try {
        await producer.connect();
        await admin.connect();
        // a missing topic would otherwise surface as kafkajs' "This server does not host this topic-partition"
        const existing = new Set(await admin.listTopics());
        const missing = o.topics.filter((t) => !existing.has(t));
        if (missing.length > 0) {
          throw new TorlogsError('config_invalid', `Kafka topic${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found on ${o.brokers.join(',')}: create ${missing.length > 1 ? 'them' : 'it'} (docker-compose's topics service does) or correct TORLOGS_KAFKA_TOPICS`);
        }
        await consumer.connect();
        for (const topic of o.topics) await consumer.subscribe({ topic, fromBeginning: true });
      } catch (err) {
        // leave no client connected behind: a failed start must not keep the process alive
        await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
        throw err;
      }
      running = true;
      timer = setInterval(() => {
        const now = Date.now();
        for (const w of writers.values()) {
          if (w.error) {
            if (lastError === '') {
              lastError = String((w.error as Error).message ?? w.error);
              o.onFatal?.(w.error);
            }
          } else w.closeIfOlderThan(o.batchMaxMs, now);
        }
      }, Math.max(20, Math.min(250, Math.floor(o.batchMaxMs / 4))));
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 4, eachBatch });
      log.info({ topics: o.topics, groupId: o.groupId }, 'consuming');
    },
    async stop() {
      if (!running) return;
      running = false;
      consumer.pause(o.topics.map((topic) => ({ topic })));
      while (active > 0) await new Promise((r) => setTimeout(r, 20));
      if (timer) clearInterval(timer);
      let failure: unknown = null;
      for (const w of writers.values()) await w.flush().catch((err: unknown) => (failure ??= err));
      writers.clear();
      abort.abort();
      await consumer.stop();
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
      log.info('drained and left the group');
      if (failure) throw failure;
    },
    health: () => ({ ok: running && lastError === '', detail: lastError || (running ? `partitions ${writers.size}, in flight ${gate.size}` : 'stopped') }),
  };
}

function kafkaLogCreator(log: Logger) {
  return () => ({ level, log: entry }: { level: number; log: { message: string } & Record<string, unknown> }) => {
    const { message, ...rest } = entry;
    if (level <= logLevel.ERROR) log.error(rest, message);
    else if (level === logLevel.WARN) log.warn(rest, message);
    else log.debug(rest, message);
  };
}
