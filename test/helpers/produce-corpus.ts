/**
 * The volume corpus for ingest tests and benchmarks: every real fixture log line (one message each) plus N
 * generated lines packed as shippers do (multi-line messages, Filebeat-style JSON envelopes, single lines), with
 * the expected count of stored lines and of dead letters per reason — known by construction.
 */
import { readdirSync } from 'node:fs';
import { Kafka, logLevel, CompressionTypes } from 'kafkajs';
import { fixture, fixtureLines } from './fixtures.js';
import { generateLines } from './generate-lines.js';
import { kafkaBrokers } from './services.js';

export interface Expected {
  lines: number;
  stored: number;
  rejected: Record<string, number>;
}

/** what the real fixture files must give with the `auto` format and no trusted proxies */
export const FIXTURE_EXPECTED = { lines: 10_052, rejected: { malformed_line: 3, bad_client_ip: 4 } };

export function fixtureLogLines(): string[] {
  const out: string[] = [];
  for (const dir of ['elastic-examples', 'elastic-beats-fixtures', 'lnav-fixtures']) {
    for (const f of readdirSync(fixture('logs', dir)).sort()) out.push(...fixtureLines('logs', dir, f));
  }
  return out;
}

export async function produceCorpus(topic: string, generated: number, opts: { partitions?: number; linesPerMessage?: number; seed?: number; fixtures?: boolean; ips?: string[]; siteHeader?: boolean } = {}): Promise<Expected> {
  const kafka = new Kafka({ clientId: 'torlogs-test-producer', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: opts.partitions ?? 4, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const expected: Expected = { lines: 0, stored: 0, rejected: {} };
  const reject = (reason: string, n = 1) => (expected.rejected[reason] = (expected.rejected[reason] ?? 0) + n);
  let pending: Array<{ key?: string; value: string; headers?: Record<string, string> }> = [];
  const flush = async (force = false) => {
    if (pending.length === 0 || (!force && pending.length < 2000)) return;
    await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages: pending });
    pending = [];
  };
  // fixtures: false produces only generated lines (a test adding more lines to an existing topic)
  const fixtures = opts.fixtures === false ? [] : fixtureLogLines();
  for (const [i, line] of fixtures.entries()) {
    pending.push(i % 3 === 0 ? { value: JSON.stringify({ '@timestamp': '2024-01-01T00:00:00Z', message: line, host: { name: 'web1' } }) } : { value: line, headers: { site: 'fixtures.example' } });
    await flush();
  }
  expected.lines += fixtures.length;
  if (fixtures.length > 0) for (const [reason, n] of Object.entries(FIXTURE_EXPECTED.rejected)) reject(reason, n);
  const per = opts.linesPerMessage ?? 50;
  let group: string[] = [];
  let site = '';
  for (const g of generateLines(generated, { seed: opts.seed ?? 7, malformedEvery: 1000, badTimestampEvery: 2500, ips: opts.ips })) {
    expected.lines++;
    if (g.expect) reject(g.expect);
    if (group.length === 0) site = g.site;
    group.push(g.line);
    if (group.length === per) {
      // the site as the message key (one partition per site), or with siteHeader as a header (spread over all partitions)
      pending.push(opts.siteHeader ? { value: `${group.join('\n')}\n`, headers: { site } } : { key: site, value: `${group.join('\n')}\n` });
      group = [];
      await flush();
    }
  }
  if (group.length) pending.push({ key: site, value: group.join('\r\n') });
  await flush(true);
  await producer.disconnect();
  expected.stored = expected.lines - Object.values(expected.rejected).reduce((a, b) => a + b, 0);
  return expected;
}

/** the expectation of several productions to one topic */
export function sumExpected(...all: Expected[]): Expected {
  const out: Expected = { lines: 0, stored: 0, rejected: {} };
  for (const e of all) {
    out.lines += e.lines;
    out.stored += e.stored;
    for (const [reason, n] of Object.entries(e.rejected)) out.rejected[reason] = (out.rejected[reason] ?? 0) + n;
  }
  return out;
}
