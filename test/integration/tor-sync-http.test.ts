/**
 * The live Tor sync against a local HTTP server on 127.0.0.1 serving the real fixture files: a good fetch, 304, 500,
 * a timeout, a rate-limit page (429 and as a 200 text page), an empty body, and a list halved (held back, then
 * applied when the next fetch confirms it). After each step the store holds exactly what it should: the last good
 * data, no garbage, every run recorded with its outcome. The live TorDNSEL list is the CollecTor file without its
 * two CollecTor header lines (derived in memory; the fixture file is untouched), as check.torproject.org serves it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../helpers/fixtures.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import { migrate } from '../../shared/store/migrate.js';
import type { ClickHouseStore } from '../../shared/store/store.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { createMetrics } from '../../shared/observability/metrics.js';
import { runTorSyncOnce, torStaleness, type SyncDeps } from '../../shared/tor-sync/tor-sync-service.js';

type Reply = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number; notModifiedIf?: string };
const script: Record<string, Reply> = {};
const seen: Array<{ path: string; ifNoneMatch?: string; ifModifiedSince?: string }> = [];

const liveExitList = readFileSync(fixture('tor', 'collector-exit-lists', '2018-11-02-01-02-01'), 'utf8').split('\n').slice(2).join('\n');
const bulkFiles = readdirSync(fixture('tor', 'bulk-snapshots')).sort();
const bulkList = readFileSync(fixture('tor', 'bulk-snapshots', bulkFiles[0]!), 'utf8');
const bulkLines = bulkList.split('\n').filter((l) => l.trim() !== '');
const halved = bulkLines.slice(0, Math.floor(bulkLines.length * 0.4)).join('\n') + '\n';
const EXIT_IPS = 862; // distinct IPs of 2018-11-02-01-02-01 (test/fixtures/tor/README.md)

let server: Server;
let base = '';
let dir: string;
let store: ClickHouseStore;
let deps: SyncDeps;
let clock = Date.parse('2026-11-25T10:00:00Z');

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '';
  seen.push({ path, ifNoneMatch: req.headers['if-none-match'] as string | undefined, ifModifiedSince: req.headers['if-modified-since'] as string | undefined });
  const r = script[path] ?? { status: 404, body: 'no such list' };
  const send = () => {
    if (r.notModifiedIf !== undefined && (req.headers['if-none-match'] === r.notModifiedIf || req.headers['if-modified-since'] === r.notModifiedIf)) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(r.status, { 'content-type': 'text/plain; charset=utf-8', ...r.headers }).end(r.body ?? '');
  };
  if (r.delayMs) setTimeout(send, r.delayMs);
  else send();
}

before(async () => {
  server = createServer(handle);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  assert.ok(addr && typeof addr === 'object');
  base = `http://127.0.0.1:${addr.port}`;
  dir = mkdtempSync(join(tmpdir(), 'torlogs-sync-'));
  store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
  await migrate(store);
  const config = loadConfig({ TORLOGS_DATA_DIR: dir, TORLOGS_TOR_SOURCES: `tordnsel=${base}/exit-addresses,bulk=${base}/torbulkexitlist`, TORLOGS_TOR_STALE_HOURS: '3' });
  deps = { store, config, logger: silentLogger(), metrics: createMetrics(), now: () => clock, fetchOptions: { timeoutMs: 400, attempts: 2, backoffMs: 20 } };
});

after(async () => {
  await store?.close();
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function counts(): Promise<{ obs: number; imports: number; exitIps: number; bulkIps: number }> {
  const r = await store.query<{ obs: string; imports: string; exit_ips: string; bulk_ips: string }>(
    `SELECT (SELECT count() FROM \${DB}.tor_observations) AS obs, (SELECT count() FROM \${DB}.tor_imports) AS imports,
            (SELECT uniqExact(ip) FROM \${DB}.tor_observations WHERE kind = 'exit_scan') AS exit_ips,
            (SELECT uniqExact(ip) FROM \${DB}.tor_observations WHERE kind = 'bulk_snapshot') AS bulk_ips`,
  );
  return { obs: Number(r[0]!.obs), imports: Number(r[0]!.imports), exitIps: Number(r[0]!.exit_ips), bulkIps: Number(r[0]!.bulk_ips) };
}

async function sync(): Promise<Record<string, string>> {
  clock += 30 * 60_000;
  seen.length = 0;
  const out: Record<string, string> = {};
  for (const r of await runTorSyncOnce(deps)) out[r.source] = r.outcome;
  return out;
}

test('live sync from 127.0.0.1: good, 304, 500, timeout, rate limit, empty, halved — the store is right after each', async () => {
  // 1. both lists served: applied
  script['/exit-addresses'] = { status: 200, body: liveExitList, headers: { etag: '"v1"' }, notModifiedIf: '"v1"' };
  script['/torbulkexitlist'] = { status: 200, body: bulkList, headers: { 'last-modified': 'Thu, 01 Jun 2023 07:30:07 GMT' } };
  assert.deepEqual(await sync(), { tordnsel: 'applied', bulk: 'applied' });
  const good = await counts();
  assert.deepEqual({ imports: good.imports, exitIps: good.exitIps, bulkIps: good.bulkIps }, { imports: 2, exitIps: EXIT_IPS, bulkIps: bulkLines.length });

  // 2. conditional GET: the exit list answers 304 to our ETag; the bulk list is the same bytes at a new time
  script['/torbulkexitlist'] = { status: 200, body: bulkList, notModifiedIf: 'Thu, 01 Jun 2023 07:30:07 GMT' };
  assert.deepEqual(await sync(), { tordnsel: 'not_modified', bulk: 'not_modified' });
  assert.equal(seen.find((s) => s.path === '/exit-addresses')?.ifNoneMatch, '"v1"');
  assert.equal(seen.find((s) => s.path === '/torbulkexitlist')?.ifModifiedSince, 'Thu, 01 Jun 2023 07:30:07 GMT');
  assert.deepEqual(await counts(), good);

  // 3. 500, retried (2 attempts each), then failed; last good data kept
  script['/exit-addresses'] = { status: 500, body: 'Internal Server Error' };
  script['/torbulkexitlist'] = { status: 503, body: 'Service Unavailable' };
  assert.deepEqual(await sync(), { tordnsel: 'failed', bulk: 'failed' });
  assert.equal(seen.length, 4);
  assert.deepEqual(await counts(), good);

  // 4. a timeout (the server answers after 1.5 s, the client waits 400 ms)
  script['/exit-addresses'] = { status: 200, body: liveExitList, delayMs: 1500 };
  script['/torbulkexitlist'] = { status: 200, body: bulkList, delayMs: 1500 };
  assert.deepEqual(await sync(), { tordnsel: 'failed', bulk: 'failed' });
  assert.deepEqual(await counts(), good);

  // 5. rate limited: 429 (retried, failed) and a 200 text page (refused as garbage)
  const page = 'Rate limit exceeded. Please slow down and try again in a few minutes.\n';
  script['/exit-addresses'] = { status: 429, body: page, headers: { 'retry-after': '60' } };
  script['/torbulkexitlist'] = { status: 200, body: page };
  assert.deepEqual(await sync(), { tordnsel: 'failed', bulk: 'rejected' });
  const html = '<!DOCTYPE html><html><head><title>Too Many Requests</title></head><body><h1>429</h1></body></html>\n';
  script['/exit-addresses'] = { status: 200, body: html };
  script['/torbulkexitlist'] = { status: 200, body: html };
  assert.deepEqual(await sync(), { tordnsel: 'rejected', bulk: 'rejected' });
  assert.deepEqual(await counts(), good);

  // 6. empty bodies
  script['/exit-addresses'] = { status: 200, body: '' };
  script['/torbulkexitlist'] = { status: 200, body: '\n' };
  assert.deepEqual(await sync(), { tordnsel: 'rejected', bulk: 'rejected' });
  assert.deepEqual(await counts(), good);

  // 7. the bulk list shrinks to 40 %: held back; the next fetch confirms it and it is applied
  script['/exit-addresses'] = { status: 304 };
  script['/torbulkexitlist'] = { status: 200, body: halved };
  assert.deepEqual(await sync(), { tordnsel: 'not_modified', bulk: 'held_back' });
  assert.deepEqual(await counts(), good);
  assert.deepEqual(await sync(), { tordnsel: 'not_modified', bulk: 'applied' });
  const after7 = await counts();
  assert.equal(after7.imports, 3);
  assert.equal(after7.obs, good.obs + Math.floor(bulkLines.length * 0.4));

  // every run is recorded with its outcome, and the detail names the reason
  const runs = await store.query<{ source: string; outcome: string; http_status: number; detail: string }>(
    'SELECT source, outcome, http_status, detail FROM ${DB}.tor_sync_runs ORDER BY started_at, source',
  );
  assert.deepEqual(
    runs.map((r) => `${r.source}:${r.outcome}:${r.http_status}`),
    [
      'bulk:applied:200', 'tordnsel:applied:200', 'bulk:not_modified:304', 'tordnsel:not_modified:304', 'bulk:failed:503', 'tordnsel:failed:500',
      'bulk:failed:0', 'tordnsel:failed:0', 'bulk:rejected:200', 'tordnsel:failed:429', 'bulk:rejected:200', 'tordnsel:rejected:200',
      'bulk:rejected:200', 'tordnsel:rejected:200', 'bulk:held_back:200', 'tordnsel:not_modified:304', 'bulk:applied:200', 'tordnsel:not_modified:304',
    ],
  );
  assert.match(runs.find((r) => r.outcome === 'held_back')!.detail, /shrank from \d+ to \d+ IPs/);

  // staleness: fresh now, stale after TORLOGS_TOR_STALE_HOURS without a successful run
  assert.equal((await torStaleness(deps)).stale, false);
  clock += 4 * 3_600_000;
  const stale = await torStaleness(deps);
  assert.equal(stale.stale, true);
  assert.match(stale.detail, /last successful sync .* \(4\.0 h ago\)/);
});
