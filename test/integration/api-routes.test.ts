/**
 * The HTTP API through the real fastify app (the ops server with registerApiRoutes, app.inject) on an embedded
 * store holding the real Tor fixture history: keys and roles (401/403/429), validation of every input naming the
 * field, SQL-injection strings inert in every parameter, and the answers of each route.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createApiKey, createKeyVerifier, revokeApiKey } from '../../shared/api/api-keys.js';
import { registerApiRoutes } from '../../shared/api/register-api.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { createOpsServer, type OpsServer } from '../../shared/http/ops-server.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { summarizeRange } from '../../shared/summaries/summarize.js';
import { createMetrics } from '../../shared/observability/metrics.js';
import { openFixtureStore, REQUESTS, type FixtureStore } from '../unit/checks/fixture-store.js';

let fx: FixtureStore;
let ops: OpsServer;
let limited: OpsServer;
let app: FastifyInstance;
const keys = { isp: '', analyst: '', revoked: '' };

function server(env: Record<string, string>): OpsServer {
  const o = createOpsServer(createMetrics(), silentLogger());
  registerApiRoutes(o.app, { store: fx.store, config: loadConfig(env), logger: silentLogger(), metrics: createMetrics(), geo: null, keys: createKeyVerifier(fx.store, 0) });
  return o;
}

before(async () => {
  fx = await openFixtureStore();
  keys.isp = (await createApiKey(fx.store, 'abuse desk', 'isp')).key;
  keys.analyst = (await createApiKey(fx.store, "analyst'); DROP TABLE torlogs.requests; --", 'analyst')).key;
  const r = await createApiKey(fx.store, 'old', 'isp');
  keys.revoked = r.key;
  await revokeApiKey(fx.store, r.info.id);
  ops = server({ TORLOGS_API_RATE_LIMIT_PER_MINUTE: '100000' });
  app = ops.app;
  limited = server({ TORLOGS_API_RATE_LIMIT_PER_MINUTE: '2', TORLOGS_API_BODY_LIMIT_BYTES: '2048', TORLOGS_API_MAX_BATCH: '5' });
});
after(async () => {
  await ops.close();
  await limited.close();
  await fx.close();
});

const auth = (k: string) => ({ authorization: `Bearer ${k}` });
const post = (url: string, body: unknown, key = keys.isp, a = app) => a.inject({ method: 'POST', url, headers: { ...auth(key), 'content-type': 'application/json' }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
const get = (url: string, key = keys.isp) => app.inject({ method: 'GET', url, headers: auth(key) });
const err = (res: { statusCode: number; json(): unknown }) => (res.json() as { error: { code: string; message: string; field: string | null } }).error;
const ITEM = { ip: '176.10.104.240', time: '2018-10-31T11:11:00Z' };

test('keys and roles: none or unknown or revoked 401, wrong role 403, over the per-key limit 429 with Retry-After', async () => {
  const none = await app.inject({ method: 'POST', url: '/v1/checks', payload: { items: [ITEM] } });
  assert.equal(none.statusCode, 401);
  assert.deepEqual([err(none).code, err(none).field], ['unauthorized', 'authorization']);
  assert.equal(none.headers['www-authenticate'], 'Bearer');
  for (const bad of ['tlk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAA', keys.isp.slice(0, -1) + (keys.isp.endsWith('A') ? 'B' : 'A'), keys.revoked, "tlk_aaaaaaaaaaaa_' OR '1'='1"]) {
    const r = await post('/v1/checks', { items: [ITEM] }, bad);
    assert.equal(r.statusCode, 401, bad);
  }
  const xkey = await app.inject({ method: 'GET', url: '/v1/tor/status', headers: { 'x-api-key': keys.isp } });
  assert.equal(xkey.statusCode, 200, 'X-API-Key works too');
  const forbidden = await post('/v1/sql', { query: 'SELECT 1' }, keys.isp);
  assert.equal(forbidden.statusCode, 403);
  assert.match(err(forbidden).message, /needs role analyst; key [0-9a-f]{12} has role isp/);
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await limited.app.inject({ method: 'GET', url: '/v1/tor/status', headers: auth(keys.analyst) })).statusCode);
  assert.deepEqual(codes, [200, 200, 429]);
  const over = await limited.app.inject({ method: 'GET', url: '/v1/tor/status', headers: auth(keys.analyst) });
  assert.equal(over.statusCode, 429);
  assert.equal(err(over).code, 'rate_limited');
  assert.ok(Number(over.headers['retry-after']) >= 1 && Number(over.headers['retry-after']) <= 30, `Retry-After ${over.headers['retry-after']}`);
  assert.equal((await limited.app.inject({ method: 'GET', url: '/v1/tor/status', headers: auth(keys.isp) })).statusCode, 200, 'another key has its own budget');
});

test('POST /v1/checks: every malformed input is a 400 naming the field', async () => {
  const cases: Array<[unknown, number, string, string, RegExp?]> = [
    ['{"items": [', 400, 'invalid_json', 'body'],
    ['', 400, 'invalid_json', 'body'],
    ['[1,2]', 400, 'invalid_request', 'body'],
    [{}, 400, 'invalid_request', 'body.items', /missing/],
    [{ items: [] }, 400, 'invalid_request', 'body.items', /at least 1 item/],
    [{ items: [ITEM], extra: 1 }, 400, 'invalid_request', 'body.extra', /unknown field body\.extra/],
    [{ items: [{ ...ITEM, note: 'x' }] }, 400, 'invalid_request', 'body.items.0.note'],
    [{ items: [ITEM, { ...ITEM, ip: '300.1.1.1' }] }, 400, 'invalid_request', 'body.items.1.ip', /"300\.1\.1\.1" is not an IPv4 or IPv6 address/],
    [{ items: [{ ...ITEM, ip: 42 }] }, 400, 'invalid_request', 'body.items.0.ip', /expected string$/],
    [{ items: [{ ip: '1.2.3.4' }] }, 400, 'invalid_request', 'body.items.0.time', /missing/],
    [{ items: [{ ...ITEM, time: '2018-10-31T11:11:00' }] }, 400, 'invalid_request', 'body.items.0.time', /ambiguous/],
    [{ items: [{ ...ITEM, time: '2018-13-01T00:00:00Z' }] }, 400, 'invalid_request', 'body.items.0.time'],
    [{ items: [{ ...ITEM, time: { at: 1 } }] }, 400, 'invalid_request', 'body.items.0.time', /expected a string or a number/],
    [{ items: [{ ...ITEM, site: 'a b' }] }, 400, 'invalid_request', 'body.items.0.site'],
    [{ items: [{ ...ITEM, site: 'x'.repeat(300) }] }, 400, 'invalid_request', 'body.items.0.site', /at most 253 characters/],
    [{ items: [ITEM], window: '1 week' }, 400, 'invalid_request', 'body.window'],
    [{ items: [ITEM], window: '40d' }, 400, 'invalid_request', 'body.window'],
    [{ items: [ITEM], evidence: 'everything' }, 400, 'invalid_request', 'body.evidence'],
    [{ items: Array.from({ length: 10_001 }, () => ITEM) }, 400, 'invalid_request', 'body.items', /at most 10000 items/],
  ];
  for (const [body, status, code, field, msg] of cases) {
    const r = await post('/v1/checks', body);
    assert.equal(r.statusCode, status, `${JSON.stringify(body).slice(0, 80)}: ${r.body.slice(0, 200)}`);
    assert.deepEqual([err(r).code, err(r).field], [code, field], JSON.stringify(body).slice(0, 80));
    if (msg) assert.match(err(r).message, msg);
  }
  const query = await app.inject({ method: 'POST', url: '/v1/checks?debug=1', headers: { ...auth(keys.isp), 'content-type': 'application/json' }, payload: { items: [ITEM] } });
  assert.deepEqual([query.statusCode, err(query).field], [400, 'query.debug']);
  const text = await app.inject({ method: 'POST', url: '/v1/checks', headers: { ...auth(keys.isp), 'content-type': 'text/plain' }, payload: 'ip=1.2.3.4' });
  assert.deepEqual([text.statusCode, err(text).code], [415, 'unsupported_media_type']);
  const big = await post('/v1/checks', { items: Array.from({ length: 60 }, () => ITEM) }, keys.isp, limited.app);
  assert.deepEqual([big.statusCode, err(big).code, err(big).field], [413, 'body_too_large', 'body']);
  const many = await post('/v1/checks', { items: Array.from({ length: 6 }, () => ITEM) }, keys.isp, limited.app);
  assert.deepEqual([many.statusCode, err(many).field], [400, 'body.items'], 'TORLOGS_API_MAX_BATCH');
});

test('GET /v1/ips/{ip}: every malformed input is a 400 naming the field', async () => {
  const q = 'from=2023-06-02T11:00:00Z&to=2023-06-02T16:00:00Z';
  const cases: Array<[string, string]> = [
    [`/v1/ips/not-an-ip?${q}`, 'path.ip'],
    [`/v1/ips/1.2.3.4'%20OR%201=1--?${q}`, 'path.ip'],
    ['/v1/ips/1.2.3.4?to=2023-06-02T16:00:00Z', 'query.from'],
    ['/v1/ips/1.2.3.4?from=2023-06-02T11:00:00Z&to=tomorrow', 'query.to'],
    ['/v1/ips/1.2.3.4?from=2023-06-02T11:00:00&to=2023-06-02T16:00:00Z', 'query.from'],
    ['/v1/ips/1.2.3.4?from=2023-06-02T11:00:00Z&to=2023-06-01T16:00:00Z', 'query.to'],
    ['/v1/ips/1.2.3.4?from=2023-01-01T00:00:00Z&to=2023-06-01T00:00:00Z', 'query.to'],
    [`/v1/ips/1.2.3.4?${q}&limit=5`, 'query.limit'],
    [`/v1/ips/1.2.3.4?${q}&from=2023-06-02T12:00:00Z`, 'query.from'],
    [`/v1/ips/1.2.3.4?${q}&site=a%27%20OR%20%271%27=%271`, 'query.site'],
  ];
  for (const [url, field] of cases) {
    const r = await get(url);
    assert.equal(r.statusCode, 400, `${url}: ${r.body.slice(0, 200)}`);
    assert.deepEqual([err(r).code, err(r).field], ['invalid_request', field], url);
  }
  const notFound = await get('/v1/nothing-here');
  assert.deepEqual([notFound.statusCode, err(notFound).code], [404, 'not_found']);
});

test('SQL-injection strings in every parameter are inert: refused by validation or matched as plain values; nothing changes', async () => {
  const inj = ["' OR '1'='1", "'); DROP TABLE torlogs.requests; --", '1; DROP TABLE torlogs.requests', '\\\' UNION SELECT * FROM torlogs.api_keys --'];
  for (const s of inj) {
    for (const field of ['ip', 'time', 'site'] as const) {
      const r = await post('/v1/checks', { items: [{ ...ITEM, [field]: field === 'site' ? s : `${ITEM[field as 'ip' | 'time']}${s}` }] });
      assert.equal(r.statusCode, 400, `${field} ${s}`);
      assert.equal(err(r).field, `body.items.0.${field}`);
    }
    const ip = await get(`/v1/ips/${encodeURIComponent(s)}?from=2023-06-02T11:00:00Z&to=2023-06-02T16:00:00Z`);
    assert.equal(ip.statusCode, 400);
    const fmt = await post('/v1/sql', { query: 'SELECT 1', format: `CSV${s}` }, keys.analyst);
    assert.deepEqual([fmt.statusCode, err(fmt).field], [400, 'body.format']);
  }
  // a site without spaces is a legal value: it reaches SQL as a parameter and matches nothing
  const quoted = await post('/v1/checks', { items: [{ ip: '136.243.17.36', time: '2023-06-02T12:00:00Z', site: "shop.example'--" }] });
  assert.equal(quoted.statusCode, 200);
  assert.equal((quoted.json() as { results: Array<{ activity: { requests: number } }> }).results[0]!.activity.requests, 0);
  const quotedRange = await get("/v1/ips/136.243.17.36?from=2023-06-02T11:00:00Z&to=2023-06-02T16:00:00Z&site=shop.example'--");
  assert.equal(quotedRange.statusCode, 200);
  assert.equal((quotedRange.json() as { activity: { requests: number } }).activity.requests, 0);
  const n = await fx.store.query<{ n: string }>('SELECT count() AS n FROM ${DB}.requests');
  assert.equal(Number(n[0]!.n), REQUESTS.length, 'requests untouched');
  const names = await fx.store.query<{ name: string }>("SELECT name FROM system.tables WHERE database = 'torlogs' AND name IN ('requests', 'api_keys')");
  assert.equal(names.length, 2);
});

test('POST /v1/checks answers each item with verdict, evidence, geo and activity', async () => {
  const r = await post('/v1/checks', { items: [ITEM, { ip: '::ffff:136.243.17.36', time: 1685707200, site: 'shop.example' }, { ip: '2001:0470:0001:0908:0000:0000:0000:9001', time: '2023-06-02T14:00:00+02:00' }, { ip: '192.0.2.1', time: '2020-01-01T00:00:00Z' }], window: '30m' });
  assert.equal(r.statusCode, 200, r.body.slice(0, 300));
  const body = r.json() as { count: number; windowSeconds: number; results: Array<{ ip: string; at: string; verdict: string; summary: string; evidence: { relays: string[] }; activity: { requests: number } }> };
  assert.equal(body.count, 4);
  assert.equal(body.windowSeconds, 1800);
  assert.deepEqual(body.results.map((x) => [x.ip, x.at, x.verdict, x.activity.requests]), [
    ['176.10.104.240', '2018-10-31T11:11:00Z', 'exit', 0],
    ['136.243.17.36', '2023-06-02T12:00:00Z', 'exit', 4],
    ['2001:470:1:908::9001', '2023-06-02T12:00:00Z', 'exit', 1],
    ['192.0.2.1', '2020-01-01T00:00:00Z', 'unknown', 0],
  ]);
  assert.deepEqual(body.results[0]!.evidence.relays, ['0111BA9B604669E636FFD5B503F382A4B7AD6E80', 'AD86CD1A49573D52A7B6F4A35750F161AAD89C88']);
  assert.match(body.results[3]!.summary, /not a "no"/);
  // compact evidence by default: the 5 observations nearest to T (the total still counted), the policy once
  const compact = body as unknown as { policy: { marginMinutes: number }; results: Array<{ evidence: { observations: unknown[]; observationsTotal: number; policy?: unknown } }> };
  assert.equal(compact.policy.marginMinutes, 1440);
  assert.deepEqual([compact.results[1]!.evidence.observations.length, compact.results[1]!.evidence.observationsTotal, compact.results[1]!.evidence.policy], [5, 26, undefined]);
  const full = (await post('/v1/checks', { items: [{ ip: '136.243.17.36', time: '2023-06-02T12:00:00Z' }], evidence: 'full' })).json() as typeof compact;
  assert.equal(full.policy, undefined);
  assert.deepEqual([full.results[0]!.evidence.observations.length, full.results[0]!.evidence.observationsTotal], [26, 26]);
  assert.ok(full.results[0]!.evidence.policy);
});

test('GET /v1/ips/{ip}: intervals, verdicts, requests by verdict and activity over a range; GET /v1/tor/status', async () => {
  const r = await get('/v1/ips/::ffff:136.243.17.36?from=2023-06-02T11:00:00Z&to=2023-06-02T16:00:00Z');
  assert.equal(r.statusCode, 200, r.body.slice(0, 300));
  const b = r.json() as { ip: string; torIntervals: Array<{ kind: string; from: string; to: string; observations: number }>; verdicts: Array<{ label: string; verdict: string }>; requestsByVerdict: Record<string, number>; activity: { requests: number; sites: unknown } };
  assert.equal(b.ip, '136.243.17.36');
  // every interval within the 24 h margin of the range (the two before the missing 21:30 snapshot too)
  assert.deepEqual(b.torIntervals.map((i) => [i.kind, i.from, i.to, i.observations]), [
    ['bulk_snapshot', '2023-06-01T07:30:07Z', '2023-06-01T15:30:05Z', 9],
    ['bulk_snapshot', '2023-06-01T17:30:05Z', '2023-06-01T20:30:06Z', 4],
    ['bulk_snapshot', '2023-06-01T22:30:05Z', '2023-06-02T23:30:05Z', 26],
  ]);
  assert.deepEqual(b.verdicts.map((v) => [v.label, v.verdict]), [['from', 'exit'], ['to', 'exit'], ['first_request', 'exit'], ['last_request', 'exit']]);
  assert.deepEqual(b.requestsByVerdict, { exit: 6, near: 0, not_exit: 0, unknown: 0 });
  assert.equal(b.activity.requests, 6);
  assert.deepEqual(b.activity.sites, [{ site: 'shop.example', requests: 5 }, { site: 'blog.example', requests: 1 }]);
  const s = await get('/v1/tor/status');
  assert.equal(s.statusCode, 200);
  const st = s.json() as { observations: Array<{ kind: string }>; coverage: { from: string } };
  assert.deepEqual(st.observations.map((o) => o.kind).sort(), ['bulk_snapshot', 'consensus_exit_or', 'exit_scan', 'onionoo_exit', 'onionoo_exit_or']);
  const q = await app.inject({ method: 'GET', url: '/v1/tor/status?x=1', headers: auth(keys.isp) });
  assert.deepEqual([q.statusCode, err(q).field], [400, 'query.x']);
});

test('GET /v1/summaries/{grain}: the rollups in force per window and dimension; inputs validated', async () => {
  await summarizeRange(fx.store, 'hour', Date.parse('2023-06-02T00:00:00Z'), Date.parse('2023-06-03T00:00:00Z'));
  const r = await get('/v1/summaries/hour?from=2023-06-02T00:00:00Z&to=2023-06-03T00:00:00Z&site=shop.example&dim=tor_verdict');
  assert.equal(r.statusCode, 200, r.body.slice(0, 300));
  const b = r.json() as { site: string; windows: Array<{ start: string; dims: Record<string, Array<{ key: string; requests: number; uniqueIps: number }>> }> };
  assert.equal(b.site, 'shop.example');
  assert.deepEqual(b.windows.map((w) => [w.start, w.dims.tor_verdict!.map((k) => [k.key, k.requests, k.uniqueIps])]), [
    ['2023-06-02T11:00:00Z', [['exit', 2, 1]]],
    ['2023-06-02T12:00:00Z', [['exit', 3, 2]]],
    ['2023-06-02T15:00:00Z', [['exit', 1, 1]]],
  ]);
  const all = (await get('/v1/summaries/hour?from=2023-06-02T12:00:00Z&to=2023-06-02T13:00:00Z&dim=total')).json() as typeof b;
  assert.deepEqual([all.site, all.windows[0]!.dims.total![0]!.requests], ['*', 4], 'all sites: 3 on shop.example + 1 on blog.example');
  const cases: Array<[string, string]> = [
    ['/v1/summaries/week?from=2023-06-02T00:00:00Z&to=2023-06-03T00:00:00Z', 'path.grain'],
    ['/v1/summaries/hour?from=2023-06-02T00:00:00&to=2023-06-03T00:00:00Z', 'query.from'],
    ['/v1/summaries/hour?from=2023-06-02T00:00:00Z&to=2023-08-03T00:00:00Z', 'query.to'],
    ['/v1/summaries/hour?from=2023-06-02T00:00:00Z&to=2023-06-03T00:00:00Z&dim=secrets', 'query.dim'],
    ['/v1/summaries/hour?from=2023-06-02T00:00:00Z&to=2023-06-03T00:00:00Z&limit=0', 'query.limit'],
    ["/v1/summaries/hour?from=2023-06-02T00:00:00Z&to=2023-06-03T00:00:00Z&site=x'%20OR%201=1", 'query.site'],
  ];
  for (const [url, field] of cases) {
    const e = await get(url);
    assert.deepEqual([e.statusCode, err(e).field], [400, field], url);
  }
});

test('POST /v1/sql (analyst): read-only queries answer in the format asked; writes and schema changes are refused', async () => {
  const ok = await post('/v1/sql', { query: 'SELECT count() AS n FROM torlogs.requests', format: 'JSONEachRow' }, keys.analyst);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.body.trim(), '{"n":"12"}');
  const tsv = await post('/v1/sql', { query: "SELECT site, count() AS n FROM torlogs.requests WHERE ip = toIPv6('136.243.17.36') GROUP BY site ORDER BY site" }, keys.analyst);
  assert.equal(tsv.body, 'site\tn\nblog.example\t1\nshop.example\t5\n');
  for (const q of ['INSERT INTO torlogs.requests (site) VALUES (\'x\')', 'DROP TABLE torlogs.requests', 'CREATE TABLE torlogs.x (a UInt8) ENGINE = Memory', 'ALTER TABLE torlogs.requests DELETE WHERE 1', 'SELECT 1; DROP TABLE torlogs.requests']) {
    const r = await post('/v1/sql', { query: q }, keys.analyst);
    assert.deepEqual([r.statusCode, err(r).code, err(r).field], [400, 'sql_refused', 'body.query'], q);
  }
  const bad = await post('/v1/sql', { query: 'SELECT nope FROM torlogs.requests' }, keys.analyst);
  assert.deepEqual([bad.statusCode, err(bad).code], [400, 'sql_failed']);
  const extra = await post('/v1/sql', { query: 'SELECT 1', readonly: 0 }, keys.analyst);
  assert.deepEqual([extra.statusCode, err(extra).field], [400, 'body.readonly']);
});

test('/openapi.json without a key: every route, strict request schemas, the error shape', async () => {
  const r = await app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(r.statusCode, 200);
  const doc = r.json() as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { additionalProperties?: boolean; properties?: Record<string, { maxItems?: number; items?: { additionalProperties?: boolean } }> }> } };
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual(Object.keys(doc.paths).sort(), ['/openapi.json', '/v1/checks', '/v1/ips/{ip}', '/v1/sql', '/v1/summaries/{grain}', '/v1/tor/status']);
  const checks = doc.components.schemas.ChecksRequest!;
  assert.equal(checks.additionalProperties, false);
  assert.equal(checks.properties!.items!.maxItems, 10_000);
  assert.equal(checks.properties!.items!.items!.additionalProperties, false);
  assert.equal(doc.components.schemas.SqlRequest!.additionalProperties, false);
});
