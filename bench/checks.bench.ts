/**
 * A 10,000-item POST /v1/checks through the real fastify app (ops server + registerApiRoutes, app.inject with an
 * API key) against an embedded store holding the real Tor fixture history (every test/fixtures/tor folder) and
 * 1,000,000 requests over the bulk-snapshot days (made in the store with INSERT … SELECT FROM numbers(): 30 % from
 * exit addresses of the snapshots, the rest from 50,000 random IPv4; 5 sites, 200 paths, 4 statuses). The items are
 * (ip, time, site) of stored requests, so every item has activity to aggregate. One warm-up batch, then RUNS timed
 * batches; the last line is JSON:
 *   {"batch_10k_ms": median, ...}   target <= 2000
 * Run: npm run bench:checks [-- --rows 1000000 --runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '../shared/api/api-keys.js';
import { registerApiRoutes } from '../shared/api/register-api.js';
import { loadConfig } from '../shared/config/load-config.js';
import { createOpsServer } from '../shared/http/ops-server.js';
import { silentLogger } from '../shared/observability/logger.js';
import { createMetrics } from '../shared/observability/metrics.js';
import { openEmbeddedStore } from '../shared/store/embedded-store.js';
import { migrate } from '../shared/store/migrate.js';
import { importTorPaths } from '../shared/tor-store/tor-import.js';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROWS = arg('rows', 1_000_000);
const RUNS = arg('runs', 3);
const ITEMS = 10_000;
const say = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'torlogs-bench-checks-'));
const store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
try {
  await migrate(store);
  let t = performance.now();
  const imp = await importTorPaths(store, ['bulk-snapshots', 'collector-exit-lists', 'collector-consensuses', 'onionoo'].map((d) => join(root, 'test', 'fixtures', 'tor', d)));
  say(`imported ${imp.imported} Tor documents (${imp.observations} observations) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  t = performance.now();
  const span = Date.parse('2023-06-05T06:00:00Z') - Date.parse('2023-06-01T08:00:00Z');
  await store.command(
    `INSERT INTO \${DB}.requests (ts, site, ip, ip_source, peer_ip, method, path, status, bytes, country, asn, as_org, source, source_partition, source_offset, line_index)
     WITH (SELECT groupArray(ip) FROM (SELECT DISTINCT ip FROM \${DB}.tor_observations WHERE kind = 'bulk_snapshot')) AS tor
     SELECT fromUnixTimestamp64Milli(toInt64({from:Int64} + intDiv(number * {span:Int64}, {rows:Int64})), 'UTC') AS ts,
            ['a.example', 'b.example', 'c.example', 'd.example', 'e.example'][1 + number % 5] AS site,
            if(cityHash64(number, 1) % 10 < 3, tor[1 + cityHash64(number, 2) % length(tor)], toIPv6(IPv4NumToString(toUInt32(167772160 + cityHash64(number, 3) % 50000)))) AS ip,
            'remote_addr', ip, 'GET', concat('/p/', toString(cityHash64(number, 4) % 200)), [200, 200, 404, 500][1 + number % 4], 1000,
            'DE', 24940, 'Bench AS', 'bench', 0, number, 0
     FROM numbers({rows:UInt64})`,
    { params: { from: Date.parse('2023-06-01T08:00:00Z'), span, rows: ROWS } },
  );
  say(`inserted ${ROWS} requests in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const picked = await store.query<{ ip: string; ms: string; site: string }>(
    'SELECT toString(ip) AS ip, toString(toUnixTimestamp64Milli(ts)) AS ms, site FROM ${DB}.requests ORDER BY cityHash64(source_offset, 7) LIMIT {n:UInt32}',
    { params: { n: ITEMS } },
  );
  const items = picked.map((p, i) => ({ ip: p.ip, time: new Date(Number(p.ms)).toISOString(), ...(i % 2 === 0 ? { site: p.site } : {}) }));
  const payload = JSON.stringify({ items });

  const ops = createOpsServer(createMetrics(), silentLogger());
  registerApiRoutes(ops.app, { store, config: loadConfig({}), logger: silentLogger(), geo: null });
  const { key } = await createApiKey(store, 'bench', 'isp');
  const call = async (body: string) => {
    const res = await ops.app.inject({ method: 'POST', url: '/v1/checks', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: body });
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body.slice(0, 300)}`);
    return res;
  };
  await call(JSON.stringify({ items: items.slice(0, 100) })); // warm-up: route, dictionaries, caches
  const times: number[] = [];
  let last = null as null | { results: Array<{ verdict: string; activity: { requests: number } }> };
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const res = await call(payload);
    times.push(performance.now() - t0);
    bytes = res.rawPayload.length;
    last = res.json();
    say(`run ${r + 1}: ${Math.round(times[r]!)} ms`);
  }
  await ops.close();
  const verdicts: Record<string, number> = {};
  for (const x of last!.results) verdicts[x.verdict] = (verdicts[x.verdict] ?? 0) + 1;
  const withActivity = last!.results.filter((x) => x.activity.requests > 0).length;
  if (last!.results.length !== ITEMS || withActivity !== ITEMS) throw new Error(`expected ${ITEMS} results with activity, got ${last!.results.length} / ${withActivity}`);
  process.stdout.write(
    `${JSON.stringify({ batch_10k_ms: Math.round(median(times)), runs_ms: times.map(Math.round), target_ms: 2000, requests: ROWS, items: ITEMS, response_mb: +(bytes / 1e6).toFixed(1), verdicts })}\n`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
