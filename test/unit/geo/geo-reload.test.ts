/**
 * Hot reload on the real test databases: GeoLite2-City-Test has no record for 214.0.0.1, GeoIP2-City-Test places
 * it in Singapore (test/fixtures/mmdb/source-data/GeoIP2-City-Test.json), so every answer tells which file served.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGeoEnricher, type GeoReloadEvent, type ReloadableGeoEnricher } from '../../../shared/geo/geo-enricher.js';
import { fixture } from '../../helpers/fixtures.js';

const src = (name: string) => fixture('mmdb', `${name}.mmdb`);
const LITE = 'GeoLite2-City-Test';
const FULL = 'GeoIP2-City-Test';
const probe = (g: ReloadableGeoEnricher) => `${g.lookup('214.0.0.1').city}|${g.lookup('81.2.69.142').city}`;
const OLD = '|London';
const NEW = 'Singapore|London';

function setup(t: { after(fn: () => void): void }, watch: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-geo-'));
  const path = join(dir, 'GeoLite2-City.mmdb');
  copyFileSync(src(LITE), path);
  const events: GeoReloadEvent[] = [];
  let notify: (e: GeoReloadEvent) => void = () => {};
  const g = createGeoEnricher({ cityDbPath: path, watch, pollMs: 100, settleMs: 30, memoSize: 1000, onReload: (e) => (events.push(e), notify(e)) });
  const next = () => new Promise<GeoReloadEvent>((resolve) => (notify = resolve));
  t.after(() => {
    g.close();
    rmSync(dir, { recursive: true, force: true });
  });
  /** the right way: write next to it, rename over */
  const replace = (bytes: Buffer) => {
    writeFileSync(`${path}.tmp`, bytes);
    renameSync(`${path}.tmp`, path);
  };
  return { dir, path, g, events, next, replace };
}

test('atomic replacement is noticed by the watcher, validated, and swapped without a failed or mixed lookup', async (t) => {
  const { g, events, next, replace } = setup(t, true);
  assert.equal(probe(g), OLD);
  const seen: string[] = [];
  let errors = 0;
  let stop = false;
  const loop = () => {
    for (let i = 0; i < 200; i++) {
      try {
        seen.push(probe(g));
      } catch {
        errors++;
      }
    }
    if (!stop) setImmediate(loop);
  };
  loop();
  const reloaded = next();
  replace(readFileSync(src(FULL)));
  const e = await reloaded;
  stop = true;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(e, { ok: true, kind: 'city', path: g.databases()[0]!.path, build: 1770245369, previousBuild: 1770245369, databaseType: 'GeoIP2-City' });
  assert.equal(errors, 0);
  const firstNew = seen.indexOf(NEW);
  assert.ok(firstNew > 0, 'lookups ran before and after the swap');
  assert.deepEqual([...new Set(seen.slice(0, firstNew))], [OLD]);
  assert.deepEqual([...new Set(seen.slice(firstNew))], [NEW]);
  assert.equal(probe(g), NEW, 'the memo was replaced with the reader');
  assert.equal(g.databases()[0]!.databaseType, 'GeoIP2-City');
  assert.equal(g.stats.reloads, 1);
  assert.equal(events.length, 1);
});

test('a corrupt replacement keeps the old database, is reported once, and a good one after it loads', async (t) => {
  const { g, events, replace } = setup(t, false);
  assert.equal(probe(g), OLD);
  const full = readFileSync(src(FULL));
  replace(full.subarray(0, 5000));
  await g.checkForUpdates();
  assert.equal(probe(g), OLD);
  assert.deepEqual(events.map((e) => [e.ok, e.ok ? '' : e.error]), [[false, `MaxMind database ${g.databases()[0]!.path}: no MaxMind DB metadata marker in its 5000 bytes: not an .mmdb file, or cut short`]]);
  assert.equal(g.stats.reloadFailures, 1);
  assert.match(g.healthcheck().detail ?? '', /^city: replacement rejected, serving the previous database: MaxMind database .*: no MaxMind DB metadata marker/);
  assert.equal(g.healthcheck().ok, true);
  await g.checkForUpdates();
  assert.equal(events.length, 1, 'the same bad file is not reported again');
  replace(full);
  await g.checkForUpdates();
  assert.equal(probe(g), NEW);
  assert.deepEqual(events.map((e) => e.ok), [false, true]);
  assert.deepEqual(g.healthcheck(), { ok: true });
});

test('a valid database of the wrong kind is refused like a corrupt one', async (t) => {
  const { g, events, replace } = setup(t, false);
  replace(readFileSync(src('GeoLite2-Country-Test')));
  await g.checkForUpdates();
  assert.equal(probe(g), OLD);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.ok ? '' : events[0]!.error, `MaxMind database ${g.databases()[0]!.path}: is a "GeoLite2-Country" database, configured as city: expected a City database (GeoLite2-City, GeoIP2-City, GeoIP2-Enterprise)`);
});

test('copied over in place (the wrong way): the live reader is unharmed, the finished copy is loaded', async (t) => {
  const { path, g, events } = setup(t, false);
  const full = readFileSync(src(FULL));
  writeFileSync(path, full.subarray(0, 9000)); // truncated and half written, same inode
  assert.equal(probe(g), OLD, 'lookups still answer from the bytes in memory');
  await g.checkForUpdates();
  assert.deepEqual(events.map((e) => e.ok), [false]);
  appendFileSync(path, full.subarray(9000)); // the copy completes
  await g.checkForUpdates();
  assert.deepEqual(events.map((e) => e.ok), [false, true]);
  assert.equal(probe(g), NEW);
});

test('a file that disappears keeps serving; when it comes back it is loaded', async (t) => {
  const { path, g, events } = setup(t, false);
  unlinkSync(path);
  await g.checkForUpdates();
  assert.equal(probe(g), OLD);
  assert.deepEqual(g.healthcheck(), { ok: true, detail: `city: ${path} is gone, serving the loaded copy` });
  copyFileSync(src(FULL), path);
  await g.checkForUpdates();
  assert.equal(probe(g), NEW);
  assert.deepEqual(events.map((e) => e.ok), [true]);
  assert.deepEqual(g.healthcheck(), { ok: true });
});

test('an unchanged file is not reloaded; close stops watching', async (t) => {
  const { g, events, replace } = setup(t, true);
  await g.checkForUpdates();
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(events.length, 0);
  g.close();
  replace(readFileSync(src(FULL)));
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(events.length, 0);
  assert.equal(probe(g), OLD);
});
