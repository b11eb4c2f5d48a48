/**
 * Where the local services are (scripts/services.sh) and guards that make an integration test FAIL — never
 * skip — when one is missing.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export function kafkaBrokers(): string[] {
  return (process.env.TORLOGS_TEST_KAFKA_BROKERS ?? '127.0.0.1:39092').split(',').map((s) => s.trim());
}

export function clickhouseServerUrl(): string {
  return process.env.TORLOGS_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:38123';
}

export async function requireKafka(): Promise<void> {
  const admin = new Kafka({ clientId: 'torlogs-test-probe', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (err) {
    throw new Error(`Kafka broker not reachable at ${kafkaBrokers().join(',')} (${(err as Error).message}): run \`npm run services:start\``, { cause: err });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function requireClickhouseServer(): Promise<void> {
  try {
    const res = await fetch(`${clickhouseServerUrl()}/ping`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok || !(await res.text()).startsWith('Ok')) throw new Error(`HTTP ${res.status}`);
  } catch (err) {
    throw new Error(`ClickHouse server not reachable at ${clickhouseServerUrl()} (${(err as Error).message}): run \`npm run services:start\``, { cause: err });
  }
}

/** unique topic / table / group name per test: prefix + time + random, [a-z0-9_] only */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
