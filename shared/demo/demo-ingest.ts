/**
 * The demo's two ways in, both through the product's own stages and sink: log files (`torlogs ingest --file`'s
 * path) or the local Kafka broker (a fresh topic, one line per message keyed by site, a real ingest worker until
 * every line is stored or dead-lettered).
 */
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Config } from '../config/load-config.js';
import { TorlogsError } from '../core/errors.js';
import { createClickHouseSink } from '../ingest/clickhouse-sink.js';
import { ingestFile } from '../ingest/file-ingest.js';
import { startIngestService } from '../ingest/ingest-service.js';
import { buildLineStages } from '../ingest/line-stages.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ClickHouseStore } from '../store/store.js';
import { openTorLookup } from '../tor-store/tor-lookup-holder.js';

export interface DemoInput {
  site: string;
  lines: string[];
}

export interface DemoIngestDeps {
  store: ClickHouseStore;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  say: (line: string) => void;
}

export interface DemoIngestResult {
  stored: number;
  deadLettered: Record<string, number>;
}

/** the local broker of scripts/kafka.sh unless TORLOGS_KAFKA_BROKERS names one */
export const DEMO_BROKERS = ['127.0.0.1:39092'];

export async function ingestDemoFiles(d: DemoIngestDeps, inputs: readonly DemoInput[], logDir: string): Promise<DemoIngestResult> {
  const tor = await openTorLookup(d.store, d.config, d.logger, { poll: false });
  const stages = await buildLineStages(d.config, d.logger, d.metrics, tor.current);
  const out: DemoIngestResult = { stored: 0, deadLettered: {} };
  try {
    for (const i of inputs) {
      const res = await ingestFile({
        path: join(logDir, `${i.site}.log`), site: i.site, processor: stages.processor,
        sink: createClickHouseSink({ store: d.store, logger: d.logger.child({ component: 'sink' }), metrics: d.metrics }),
        batchMaxRows: d.config.batchMaxRows, maxInflightBatches: d.config.maxInflightBatches, logger: d.logger, metrics: d.metrics,
      });
      d.say(`    ${i.site}: ${res.lines} lines, ${res.stored} stored, ${res.rejected} dead-lettered`);
      out.stored += res.stored;
      for (const [k, v] of Object.entries(res.rejectedByReason)) out.deadLettered[k] = (out.deadLettered[k] ?? 0) + v;
    }
  } finally {
    await stages.close();
    tor.close();
  }
  return out;
}

export async function ingestDemoKafka(d: DemoIngestDeps, inputs: readonly DemoInput[], timeoutMs = 120_000): Promise<DemoIngestResult> {
  const brokers = d.config.kafkaBrokers ?? DEMO_BROKERS;
  const run = `torlogs-demo-${Date.now()}`;
  const kafka = new Kafka({ clientId: 'torlogs-demo', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3000, retry: { retries: 3 } });
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (err) {
    throw new TorlogsError('usage_invalid', `no Kafka broker at ${brokers.join(',')}: start the local one with \`npm run services:start\` or set TORLOGS_KAFKA_BROKERS`, { cause: err });
  }
  await admin.createTopics({ topics: [{ topic: run, numPartitions: 3, replicationFactor: 1 }, { topic: `${run}-dlq`, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const total = inputs.reduce((s, i) => s + i.lines.length, 0);
  for (const i of inputs) {
    for (let k = 0; k < i.lines.length; k += 2000) {
      await producer.send({ topic: run, messages: i.lines.slice(k, k + 2000).map((value) => ({ key: i.site, value })) });
    }
  }
  await producer.disconnect();
  d.say(`    produced ${total} messages to topic ${run} on ${brokers.join(',')}`);

  const tor = await openTorLookup(d.store, d.config, d.logger, { poll: false });
  let fatal: unknown = null;
  const config: Config = { ...d.config, kafkaBrokers: brokers, kafkaTopics: [run], kafkaGroupId: run, kafkaDlqTopic: `${run}-dlq`, batchMaxMs: 300 };
  const svc = await startIngestService({ config, store: d.store, logger: d.logger, metrics: d.metrics, tor: tor.current, onFatal: (e) => (fatal ??= e) });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (fatal) throw fatal;
      const res = await counts(d.store);
      const done = res.stored + Object.values(res.deadLettered).reduce((a, b) => a + b, 0);
      if (done >= total) return res;
      if (Date.now() > deadline) throw new TorlogsError('internal', `Kafka ingest stalled at ${done} of ${total} lines`);
      d.say(`    ${done}/${total} lines stored or dead-lettered`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await svc.stop();
    tor.close();
  }
}

async function counts(store: ClickHouseStore): Promise<DemoIngestResult> {
  const s = await store.query<{ n: string }>('SELECT count() AS n FROM ${DB}.requests');
  const r = await store.query<{ reason: string; n: string }>('SELECT reason, count() AS n FROM ${DB}.ingest_rejects GROUP BY reason ORDER BY reason');
  return { stored: Number(s[0]?.n ?? 0), deadLettered: Object.fromEntries(r.map((x) => [x.reason, Number(x.n)])) };
}
