/**
 * The ingest service: Kafka consumer → line processor → ClickHouse sink, with the ops endpoints and a Tor
 * history that is swapped in without restart. `startIngestService` is what `torlogs serve` and
 * services/ingest/main.ts call.
 */
import type { Config } from '../config/load-config.js';
import { topicSites } from '../config/load-config.js';
import { TorlogsError } from '../core/errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ClickHouseStore } from '../store/store.js';
import type { TorStatusLookup } from '../pipeline/stages.js';
import { createBatchPlanLog } from './batch-plan-log.js';
import { createClickHouseSink } from './clickhouse-sink.js';
import { createKafkaIngest, type KafkaIngest } from './kafka-ingest.js';
import { buildLineStages, type LineStages } from './line-stages.js';
import type { WrittenBatch } from './partition-writer.js';

export interface IngestService {
  kafka: KafkaIngest;
  stages: LineStages;
  stop(): Promise<void>;
  health(): { ok: boolean; detail: string };
}

export interface IngestServiceDeps {
  config: Config;
  store: ClickHouseStore;
  logger: Logger;
  metrics: Metrics;
  /** current Tor lookup; swapped when the history changes */
  tor: () => TorStatusLookup;
  onWritten?: (w: WrittenBatch) => void;
  onFatal?: (err: unknown) => void;
  /** backoff of retried inserts (default: the sink's) */
  insertRetry?: { initialMs?: number; maxMs?: number };
  /** overrides for tests */
  groupId?: string;
  topics?: string[];
}

export async function startIngestService(d: IngestServiceDeps): Promise<IngestService> {
  const c = d.config;
  if (!c.kafkaBrokers || c.kafkaBrokers.length === 0) {
    throw new TorlogsError('usage_invalid', 'Kafka ingest needs TORLOGS_KAFKA_BROKERS (or use `torlogs ingest --file`)');
  }
  const abort = new AbortController();
  const stages = await buildLineStages(c, d.logger, d.metrics, d.tor);
  const sink = createClickHouseSink({ store: d.store, logger: d.logger.child({ component: 'sink' }), metrics: d.metrics, signal: abort.signal, retry: d.insertRetry });
  const kafka = createKafkaIngest({
    brokers: c.kafkaBrokers,
    clientId: c.kafkaClientId,
    groupId: d.groupId ?? c.kafkaGroupId,
    topics: d.topics ?? c.kafkaTopics,
    dlqTopic: c.kafkaDlqTopic,
    topicSites: topicSites(c),
    defaultSite: c.defaultSite,
    batchMaxRows: c.batchMaxRows,
    batchMaxMs: c.batchMaxMs,
    maxInflightBatches: c.maxInflightBatches,
    decoder: stages.decoder,
    processor: stages.processor,
    sink,
    planLog: createBatchPlanLog(d.store),
    retry: d.insertRetry,
    signal: abort.signal,
    logger: d.logger,
    metrics: d.metrics,
    onWritten: d.onWritten,
    onFatal: d.onFatal,
  });
  try {
    await kafka.start();
  } catch (err) {
    abort.abort();
    await stages.close();
    throw err;
  }
  return {
    kafka,
    stages,
    async stop() {
      try {
        await kafka.stop();
      } finally {
        abort.abort();
        await stages.close();
      }
    },
    health: () => kafka.health(),
  };
}
