/**
 * The SQL twin (migration 006: tor_exit_intervals, dictionaries, `torlogs_tor_verdict(ip, t)`) and the TypeScript
 * rules (shared/tor: TorHistory + verdict(), and the ingest TorIndex loaded from the store) give the same answers on
 * the same data: every real fixture document imported into a fresh embedded store, then ~60k (ip, time) points at
 * every interval edge, margin edge and coverage edge ±1 ms plus a grid, for IPv4, IPv6 and never-seen addresses.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../helpers/fixtures.js';
import { loadFixtureDocs } from '../helpers/tor-history.js';
import { prng } from '../helpers/generate-lines.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import { migrate } from '../../shared/store/migrate.js';
import type { ClickHouseStore } from '../../shared/store/store.js';
import { fromIPv6Column, toIPv6Column } from '../../shared/net/ip.js';
import { tsvDateTime64 } from '../../shared/ingest/tsv.js';
import { importTorPaths } from '../../shared/tor-store/tor-import.js';
import { readTorPolicy } from '../../shared/tor-store/tor-policy-store.js';
import { loadTorIndex } from '../../shared/tor-store/load-tor-index.js';
import { loadHistoryView } from '../../shared/tor-store/store-history-view.js';
import { TorHistory, exitIntervals } from '../../shared/tor/tor-history.js';
import { DEFAULT_TOR_POLICY } from '../../shared/tor/tor-policy.js';
import { VERDICT_NAMES } from '../../shared/tor/tor-index.js';
import { verdict } from '../../shared/tor/verdict.js';

const DIRS = ['bulk-snapshots', 'collector-exit-lists', 'collector-consensuses', 'onionoo'];
let dir: string;
let store: ClickHouseStore;
let history: TorHistory;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'torlogs-twin-'));
  store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
  await migrate(store);
  const s = await importTorPaths(store, DIRS.map((d) => fixture('tor', d)));
  assert.equal(s.refused.length, 0, JSON.stringify(s.refused));
  history = TorHistory.fromDocuments(loadFixtureDocs(DIRS));
  assert.equal(s.observations, history.observations);
});

after(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the stored policy is the TypeScript default policy', async () => {
  assert.deepEqual(await readTorPolicy(store), DEFAULT_TOR_POLICY);
});

test('tor_exit_intervals equals exitIntervals() for every IP (per kind, exact bounds and counts)', async () => {
  const text = await store.queryText(
    'SELECT toString(ip), kind, toUnixTimestamp(valid_from), toUnixTimestamp(valid_to), observations FROM ${DB}.tor_exit_intervals ORDER BY ip, kind, valid_from',
    'TabSeparated',
  );
  const sql = text.split('\n').filter((l) => l !== '').map((l) => {
    const [ip, kind, f, t, n] = l.split('\t');
    return `${fromIPv6Column(ip!)} ${kind} ${Number(f) * 1000} ${Number(t) * 1000} ${n}`;
  });
  const ts: string[] = [];
  for (const ip of history.ips()) for (const iv of exitIntervals(history.observationsOf(ip), DEFAULT_TOR_POLICY)) ts.push(`${ip} ${iv.kind} ${iv.fromMs} ${iv.toMs} ${iv.count}`);
  assert.ok(ts.length > 1000, `only ${ts.length} intervals in the fixtures`);
  assert.deepEqual(sql.sort(), ts.sort());
});

test('tor_covered_intervals equals the merged coverage per family shrunk by the slack', async () => {
  const rows = await store.query<{ f: number; a: string; b: string }>(
    'SELECT family AS f, toString(toUnixTimestamp(valid_from)) AS a, toString(toUnixTimestamp(valid_to)) AS b FROM ${DB}.tor_covered_intervals ORDER BY f, a',
  );
  const slack = DEFAULT_TOR_POLICY.coverageSlackMs;
  const want: string[] = [];
  for (const fam of [4, 6] as const) {
    for (const c of history.coverageIntervals(fam)) if (c.toMs - c.fromMs >= 2 * slack) want.push(`${fam} ${c.fromMs + slack} ${c.toMs - slack}`);
  }
  assert.deepEqual(rows.map((r) => `${r.f} ${Number(r.a) * 1000} ${Number(r.b) * 1000}`), want);
});

function probePoints(): Array<[string, number]> {
  const p = DEFAULT_TOR_POLICY;
  const pts: Array<[string, number]> = [];
  const rnd = prng(7);
  const ips = [...history.ips()];
  const v6 = ips.filter((ip) => ip.includes(':'));
  assert.ok(v6.length > 0, 'the fixtures hold IPv6 exits');
  for (const ip of ips) {
    // every IP at its interval and margin edges ±1 ms; a sample on a grid
    for (const iv of exitIntervals(history.observationsOf(ip), p)) {
      for (const t of [iv.fromMs, iv.toMs, iv.fromMs - p.marginMs, iv.toMs + p.marginMs, (iv.fromMs + iv.toMs) / 2]) for (const d of [-1, 0, 1]) pts.push([ip, Math.round(t) + d]);
    }
  }
  const unseen = ['198.51.100.23', '2001:db8::23', '::ffff:198.51.100.24'];
  for (const fam of [4, 6] as const) {
    for (const c of history.coverageIntervals(fam)) {
      for (const t of [c.fromMs + p.coverageSlackMs, c.toMs - p.coverageSlackMs, c.fromMs, c.toMs]) {
        for (const d of [-1, 0, 1]) for (const ip of [...unseen, ips[Math.floor(rnd() * ips.length)]!, v6[Math.floor(rnd() * v6.length)]!]) pts.push([ip, t + d]);
      }
    }
  }
  // inside the covered stretches, any IP: not_exit unless it was an exit within the margin
  for (const fam of [4, 6] as const) {
    for (const c of history.coverageIntervals(fam)) {
      if (c.toMs - c.fromMs < 2 * p.coverageSlackMs) continue;
      for (let i = 0; i < 5000; i++) pts.push([i % 5 === 0 ? unseen[i % 3]! : ips[Math.floor(rnd() * ips.length)]!, Math.floor(c.fromMs + p.coverageSlackMs + rnd() * (c.toMs - c.fromMs - 2 * p.coverageSlackMs))]);
    }
  }
  const all = [...history.coverageIntervals(4), ...history.coverageIntervals(6)];
  const from = Math.min(...all.map((c) => c.fromMs)) - 3 * 86_400_000;
  const to = Math.max(...all.map((c) => c.toMs)) + 3 * 86_400_000;
  for (let i = 0; i < 20_000; i++) {
    const ip = i % 10 === 0 ? unseen[i % 3]! : ips[Math.floor(rnd() * ips.length)]!;
    pts.push([ip, Math.floor(from + rnd() * (to - from))]);
  }
  return pts;
}

test('torlogs_tor_verdict(ip, t) in SQL, verdict() over the stored history and the TorIndex loaded from the store agree with verdict() over the parsed documents', async () => {
  const pts = probePoints();
  await store.command('CREATE TABLE ${DB}.twin_points (i UInt32, ip IPv6, t DateTime64(3, \'UTC\')) ENGINE = MergeTree ORDER BY i');
  await store.insert({ table: 'twin_points', columns: ['i', 'ip', 't'], format: 'TabSeparated', data: pts.map(([ip, t], i) => `${i}\t${toIPv6Column(ip)}\t${tsvDateTime64(t)}\n`).join('') });
  const text = await store.queryText('SELECT torlogs_tor_verdict(ip, t) FROM ${DB}.twin_points ORDER BY i', 'TabSeparated');
  const sql = text.split('\n').filter((l) => l !== '');
  assert.equal(sql.length, pts.length);

  const stored = await loadHistoryView(store, [...new Set(pts.map(([ip]) => ip))]);
  const index = await loadTorIndex(store);
  const counts: Record<string, number> = {};
  const mismatches: string[] = [];
  pts.forEach(([ip, t], i) => {
    const want = verdict(history, ip, t, DEFAULT_TOR_POLICY).verdict;
    counts[want] = (counts[want] ?? 0) + 1;
    const fromStore = verdict(stored, ip, t, DEFAULT_TOR_POLICY).verdict;
    const fromIndex = VERDICT_NAMES[index.lookup(ip.startsWith('::ffff:') ? ip.slice(7) : ip, t)];
    if (sql[i] !== want || fromStore !== want || fromIndex !== want) {
      if (mismatches.length < 20) mismatches.push(`${ip} ${new Date(t).toISOString()}: ts=${want} sql=${sql[i]} stored=${fromStore} index=${fromIndex}`);
      else mismatches.push('');
    }
  });
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${pts.length} points disagree`);
  for (const v of ['exit', 'near', 'not_exit', 'unknown']) assert.ok((counts[v] ?? 0) > 100, `too few ${v} points: ${JSON.stringify(counts)}`);
});
