/**
 * A geo database replaced during a Kafka run (issue 3): a real worker process ingests with the MaxMind test
 * database GeoLite2-City-Test as its City database; while lines keep arriving, the file is replaced the way
 * geoipupdate does it (write a temporary file next to it, rename it over) by GeoIP2-City-Test. The two real test
 * builds differ in what they know: GeoIP2-City has 214.0.0.0/24 (SG, Singapore), GeoLite2-City has no record for
 * it. So each row shows which database answered, and per partition (lines are processed in offset order) every
 * row of 214.0.0.1 before the switch has no country and every one after it has SG.
 *
 * Checked: one successful reload and no rejected one; no lookup error; every row of an address both databases know
 * has its country (no failed or empty lookup around the swap); the switch is clean per partition; no line lost or
 * stored twice. Caveat: all MaxMind test databases carry the same build epoch (2026-02-04T22:49:29Z), so
 * `geo_db_build` cannot tell them apart; the test asserts every row carries that build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import { fixture } from '../helpers/fixtures.js';
import { createTopic, groupCaughtUp } from '../helpers/kafka-progress.js';
import { produceCorpus, sumExpected, type Expected } from '../helpers/produce-corpus.js';
import { kafkaBrokers, requireKafka, uniqueName } from '../helpers/services.js';
import { storeCounts } from '../helpers/store-counts.js';
import { startWorker, waitUntil } from '../helpers/worker-process.js';

const BUILD = 1770245369; // build epoch of every MaxMind test database (test/fixtures/mmdb/README.md)
/** known to both City test databases, with a country */
const KNOWN = ['81.2.69.142', '216.160.83.56', '89.160.20.112', '2001:218::1', '175.16.199.1', '2.125.160.216'];
/** only in GeoIP2-City-Test (SG) */
const NEW_ONLY = '214.0.0.1';

test('a City database replaced during a run is used from then on; no lookup fails, no row lost', { timeout: 180_000 }, async () => {
  await requireKafka();
  const topic = uniqueName('t_ingest_geo');
  const group = uniqueName('g_ingest_geo');
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-geo-reload-'));
  const city = join(dir, 'GeoIP-City.mmdb');
  copyFileSync(fixture('mmdb', 'GeoLite2-City-Test.mmdb'), city);
  await createTopic(`${topic}_dlq`);
  const ips = [...KNOWN, NEW_ONLY];
  const produced: Expected[] = [await produceCorpus(topic, 20_000, { partitions: 3, seed: 51, fixtures: false, ips, siteHeader: true })];
  let producing = true;
  let producer: Promise<void> = Promise.resolve();
  const w = await startWorker({
    TORLOGS_DATA_DIR: join(dir, 'data'), TORLOGS_KAFKA_BROKERS: kafkaBrokers().join(','), TORLOGS_KAFKA_TOPICS: topic, TORLOGS_KAFKA_GROUP_ID: group,
    TORLOGS_KAFKA_DLQ_TOPIC: `${topic}_dlq`, TORLOGS_BATCH_MAX_ROWS: '2000', TORLOGS_BATCH_MAX_MS: '200', TORLOGS_GEO_CITY_DB: city,
  });
  try {
    await waitUntil('10,000 rows stored with the first database', async () => (w.assertAlive(), (await w.metric('lines_stored_total')) >= 10_000), 60_000, 50);
    producer = (async () => {
      for (let seed = 200; producing; seed++) {
        produced.push(await produceCorpus(topic, 3000, { seed, fixtures: false, ips, siteHeader: true }));
        await sleep(200);
      }
    })();
    await sleep(1000);
    // the geoipupdate way: a complete new file next to the live one, renamed over it
    copyFileSync(fixture('mmdb', 'GeoIP2-City-Test.mmdb'), `${city}.tmp`);
    renameSync(`${city}.tmp`, city);
    await waitUntil('the worker to reload the City database', async () => (w.assertAlive(), (await w.metric('geo_reloads_total', { result: 'ok' })) >= 1), 30_000, 50);
    const storedAtReload = await w.metric('lines_stored_total');
    await waitUntil('rows stored with the new database', async () => (w.assertAlive(), (await w.metric('lines_stored_total')) >= storedAtReload + 10_000), 60_000, 50);
    producing = false;
    await producer;
    await waitUntil('the group to commit every offset', async () => (w.assertAlive(), groupCaughtUp(topic, group)), 60_000, 250);
    assert.equal(await w.metric('geo_reloads_total', { db: 'city', result: 'ok' }), 1, 'one reload');
    assert.equal(await w.metric('geo_reloads_total', { result: 'failed' }), 0, 'no rejected replacement');
    assert.equal(await w.metric('geo_lookup_errors_total'), 0, 'no failed lookup');
    assert.equal(await w.stop(), 0, w.stderr().slice(-2000));

    const expected = sumExpected(...produced);
    const store = openEmbeddedStore({ dataDir: join(dir, 'data'), database: 'torlogs' });
    try {
      const c = await storeCounts(store, `kafka:${topic}`);
      assert.equal(c.distinctRows, expected.stored, 'no line lost');
      assert.equal(c.rows, expected.stored, 'no line stored twice');
      assert.deepEqual(c.rejected, expected.rejected);
      const params = { s: `kafka:${topic}`, ip: `::ffff:${NEW_ONLY}` };
      const [known] = await store.query<{ n: string; empty: string; builds: string }>(
        "SELECT count() AS n, countIf(country = '') AS empty, arrayStringConcat(arraySort(groupUniqArray(toString(toUnixTimestamp(geo_db_build)))), ',') AS builds FROM ${DB}.requests WHERE source = {s:String} AND ip != toIPv6({ip:String})",
        { params },
      );
      assert.equal(Number(known!.empty), 0, 'every address both databases know has its country, before, during and after the swap');
      assert.equal(known!.builds, String(BUILD));
      const perPartition = await store.query<{ p: number; old_n: string; new_n: string; other: string; last_old: string; first_new: string }>(
        "SELECT source_partition AS p, countIf(country = '') AS old_n, countIf(country = 'SG' AND city = 'Singapore') AS new_n, countIf(country NOT IN ('', 'SG')) AS other, toString(maxIf(source_offset, country = '')) AS last_old, toString(minIf(source_offset, country = 'SG')) AS first_new FROM ${DB}.requests WHERE source = {s:String} AND ip = toIPv6({ip:String}) GROUP BY p ORDER BY p",
        { params },
      );
      assert.equal(perPartition.length, 3);
      for (const r of perPartition) {
        assert.ok(Number(r.old_n) > 0 && Number(r.new_n) > 0, `partition ${r.p}: rows from both databases (${r.old_n} old, ${r.new_n} new)`);
        assert.equal(Number(r.other), 0);
        assert.ok(BigInt(r.last_old) < BigInt(r.first_new), `partition ${r.p}: the old database answered up to offset ${r.last_old}, the new one from ${r.first_new}`);
      }
    } finally {
      await store.close();
    }
  } finally {
    producing = false;
    await producer.catch(() => undefined);
    if (w.child.exitCode === null) await w.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
