/**
 * `torlogs serve` all-in-one on the embedded store: ingest from the local Kafka broker, Tor sync (from a local HTTP
 * server on 127.0.0.1 serving the real fixture lists), summaries and the API in one process. While it ingests it
 * answers /healthz (one combined health), /metrics and the API; SIGTERM mid-run exits 0 after draining, and a
 * restart finishes the topic: every line stored or dead-lettered exactly once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTorlogs } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { createTopic, groupCaughtUp } from '../helpers/kafka-progress.js';
import { produceCorpus } from '../helpers/produce-corpus.js';
import { kafkaBrokers, requireKafka, uniqueName } from '../helpers/services.js';
import { embeddedCounts } from '../helpers/store-counts.js';
import { startWorker, waitUntil } from '../helpers/worker-process.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';

test('serve: ingest + Tor sync + summaries + API in one process; /healthz, /metrics, API while ingesting; SIGTERM clean; nothing lost', { timeout: 600_000 }, async () => {
  await requireKafka();
  const exitList = readFileSync(fixture('tor', 'collector-exit-lists', '2018-11-02-01-02-01'), 'utf8').split('\n').slice(2).join('\n');
  const bulk = readFileSync(fixture('tor', 'bulk-snapshots', readdirSync(fixture('tor', 'bulk-snapshots')).sort()[0]!), 'utf8');
  const lists = createServer((req, res) => {
    const body = req.url === '/exit-addresses' ? exitList : req.url === '/torbulkexitlist' ? bulk : null;
    res.writeHead(body === null ? 404 : 200, { 'content-type': 'text/plain' }).end(body ?? 'not found');
  });
  await new Promise<void>((ok) => lists.listen(0, '127.0.0.1', ok));
  const port = (lists.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-serve-'));
  const topic = uniqueName('t_serve');
  const group = uniqueName('g_serve');
  const dlq = `${topic}_dlq`;
  const workers: Array<Awaited<ReturnType<typeof startWorker>>> = [];
  try {
    const env = {
      TORLOGS_DATA_DIR: join(dir, 'data'), TORLOGS_REPORTS_DIR: join(dir, 'reports'),
      TORLOGS_KAFKA_BROKERS: kafkaBrokers().join(','), TORLOGS_KAFKA_TOPICS: topic, TORLOGS_KAFKA_GROUP_ID: group, TORLOGS_KAFKA_DLQ_TOPIC: dlq,
      TORLOGS_BATCH_MAX_ROWS: '5000', TORLOGS_BATCH_MAX_MS: '300',
      TORLOGS_TOR_SOURCES: `tordnsel=http://127.0.0.1:${port}/exit-addresses,bulk=http://127.0.0.1:${port}/torbulkexitlist`,
    };
    const key = await runTorlogs(['api-key', 'create', '--name', 'serve-test', '--role', 'analyst', '--json'], env);
    assert.equal(key.code, 0, key.stderr);
    const apiKey = (JSON.parse(key.stdout) as { key: string }).key;
    await createTopic(dlq);
    const expected = await produceCorpus(topic, 150_000, { partitions: 2, seed: 5 });

    const first = await startWorker(env, ['serve']);
    workers.push(first);
    await waitUntil('a tenth of the lines stored', async () => (first.assertAlive(), (await first.metric('lines_stored_total')) > expected.lines / 10), 300_000, 100);
    // while ingesting: one combined health, metrics, the API
    const health = (await (await fetch(`${first.url}/healthz`)).json()) as { status: string; components: Record<string, { ok: boolean }> };
    assert.deepEqual(Object.keys(health.components).sort(), ['clickhouse', 'ingest', 'summaries', 'tor_index', 'tor_sync']);
    assert.equal(health.components.clickhouse!.ok, true);
    assert.equal(health.components.ingest!.ok, true);
    const metrics = await (await fetch(`${first.url}/metrics`)).text();
    assert.match(metrics, /^torlogs_lines_stored_total\{source="kafka"\} [1-9]\d*$/m);
    assert.match(metrics, /^torlogs_job_runs_total\{job="summaries_hourly",outcome="success"\} [1-9]\d*$/m);
    const noKey = await fetch(`${first.url}/v1/tor/status`);
    assert.equal(noKey.status, 401);
    const checks = await fetch(`${first.url}/v1/checks`, {
      method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ ip: '198.51.100.7', time: '2015-01-01T00:00:00Z' }] }),
    });
    assert.equal(checks.status, 200, await checks.clone().text());
    const cr = (await checks.json()) as { results: Array<{ verdict: string }> };
    assert.equal(cr.results[0]!.verdict, 'unknown');
    await waitUntil('the Tor sync at start to apply both local lists', async () => {
      const s = (await (await fetch(`${first.url}/v1/tor/status`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { lastSync?: Array<{ outcome: string }> };
      return (s.lastSync ?? []).filter((x) => x.outcome === 'applied').length === 2;
    }, 60_000, 500);

    // SIGTERM mid-run: drains, commits what is stored, exits 0
    assert.equal(await first.stop(), 0, first.stderr().slice(-3000));
    assert.match(first.stderr(), /"msg":"stopped cleanly"/);
    const second = await startWorker(env, ['serve', '--no-sync-on-start']);
    workers.push(second);
    await waitUntil('the group to commit every offset', async () => (second.assertAlive(), groupCaughtUp(topic, group)), 300_000, 1000);
    assert.equal(await second.stop(), 0, second.stderr().slice(-3000));

    const c = await embeddedCounts(env.TORLOGS_DATA_DIR, `kafka:${topic}`);
    assert.equal(c.rows, expected.stored);
    assert.equal(c.distinctRows, expected.stored, 'no line stored twice across the SIGTERM');
    assert.deepEqual(c.rejected, expected.rejected);
    const s = openEmbeddedStore({ dataDir: env.TORLOGS_DATA_DIR, database: 'torlogs' });
    try {
      const runs = await s.query<{ source: string; outcome: string }>('SELECT source, outcome FROM ${DB}.tor_sync_runs ORDER BY source');
      assert.deepEqual(runs.map((r) => `${r.source}:${r.outcome}`), ['bulk:applied', 'tordnsel:applied']);
    } finally {
      await s.close();
    }
  } finally {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) await w.kill();
    lists.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
