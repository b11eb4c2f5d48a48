/**
 * Where the local services are (scripts/services.sh, docs/local-services.md) and guards that make an integration
 * test FAIL — never skip — when one is missing.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

const START_HINT = 'run `npm run services:start`';

/** TORLOGS_TEST_KAFKA_BROKERS (comma-separated), default the local broker 127.0.0.1:39092 */
export function kafkaBrokers(): string[] {
  const list = (process.env.TORLOGS_TEST_KAFKA_BROKERS ?? '127.0.0.1:39092')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return list.length > 0 ? list : ['127.0.0.1:39092'];
}

/** TORLOGS_TEST_CLICKHOUSE_URL, default the local ClickHouse 18.16 server http://127.0.0.1:38123 */
export function clickhouseServerUrl(): string {
  return (process.env.TORLOGS_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:38123').replace(/\/+$/, '');
}

/** users of the local ClickHouse server (scripts/clickhouse-server/users.xml.in) */
export const CLICKHOUSE_TEST_USERS = {
  /** no password, localhost only: test setup (CREATE / DROP) */
  admin: { username: 'default', password: '' },
  /** profile allowing inserts */
  ingest: { username: 'torlogs_ingest', password: 'ingest-secret' },
  /** readonly=1: no writes, no DDL, no per-query settings */
  reader: { username: 'torlogs_reader', password: 'reader-secret' },
} as const;

/** throws unless the broker answers a metadata request */
export async function requireKafka(): Promise<void> {
  const brokers = kafkaBrokers();
  const admin = new Kafka({
    clientId: 'torlogs-test-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { retries: 2, initialRetryTime: 300 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (err) {
    throw new Error(`Kafka broker not reachable at ${brokers.join(',')} (${(err as Error).message}): ${START_HINT}`, { cause: err });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** throws unless the ClickHouse server answers /ping with "Ok." */
export async function requireClickhouseServer(): Promise<void> {
  const url = clickhouseServerUrl();
  try {
    const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(5000) });
    const body = await res.text();
    if (!res.ok || !body.startsWith('Ok')) throw new Error(`/ping answered HTTP ${res.status} ${JSON.stringify(body.slice(0, 100))}`);
  } catch (err) {
    throw new Error(`ClickHouse server not reachable at ${url} (${(err as Error).message}): ${START_HINT}`, { cause: err });
  }
}

/**
 * A unique topic / table / consumer-group name per test: prefix + time + random, only [a-z0-9_], starting with a
 * letter (valid as a Kafka topic and as an unquoted ClickHouse identifier).
 */
export function uniqueName(prefix: string): string {
  const p = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const name = `${p}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  return /^[a-z]/.test(name) ? name : `t_${name}`;
}
