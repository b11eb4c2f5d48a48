import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { runTorlogs } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { openEmbeddedStore } from '../../shared/store/embedded-store.js';
import type { ReportData } from '../../shared/reports/report-data.js';
import { writeSummaryInputs } from '../unit/summaries/summary-fixtures.js';

const run = promisify(execFile);
const CHARTS = { 'hourly-tor-share': 24, 'daily-tor-share': 30, 'top-tor-countries': -1, 'top-tor-asns': -1, 'top-tor-paths': -1 };

/** decodes an 8-bit RGB/RGBA PNG (what Chromium writes) into pixels */
function decodePng(buf: Buffer): { width: number; height: number; channels: number; data: Buffer } {
  assert.equal(buf.subarray(1, 4).toString(), 'PNG');
  let pos = 8;
  let width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.subarray(pos + 4, pos + 8).toString();
    const body = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      assert.equal(body[8], 8, 'bit depth 8');
      channels = ({ 2: 3, 6: 4 } as Record<number, number>)[body[9]!]!;
      assert.ok(channels, `colour type ${body[9]}`);
      assert.equal(body[12], 0, 'not interlaced');
    } else if (type === 'IDAT') idat.push(body);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const pr = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      out[y * stride + x] = (v + [0, a, b, (a + b) >> 1, pr][f]!) & 0xff;
    }
  }
  return { width, height, channels, data: out };
}

const at = (obj: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], obj);

test('HTML report in headless Chromium: every chart drew marks, the screenshot is not blank, the numbers equal the JSON; webhook retried', async () => {
  // Chromium is a prerequisite (Debian `chromium`, installed by .ci/run): a missing browser fails the test
  const browser = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => {
    try {
      readFileSync(p);
      return true;
    } catch {
      return false;
    }
  });
  assert.ok(browser, 'chromium is not installed (apt-get install chromium)');

  const dir = mkdtempSync(join(tmpdir(), 'torlogs-report-'));
  const hits: Array<{ status: number; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const status = hits.length === 0 ? 500 : 200; // the first POST fails: the report is retried
      hits.push({ status, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const env = {
    TORLOGS_DATA_DIR: dir,
    TORLOGS_REPORTS_DIR: join(dir, 'reports'),
    TORLOGS_GEO_CITY_DB: fixture('mmdb', 'GeoIP2-City-Test.mmdb'),
    TORLOGS_GEO_ASN_DB: fixture('mmdb', 'GeoLite2-ASN-Test.mmdb'),
    TORLOGS_REPORT_WEBHOOK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/reports`,
  };
  try {
    for (const [path, site] of writeSummaryInputs(dir)) assert.equal((await runTorlogs(['ingest', '--file', path, '--site', site], env)).code, 0);
    // a real bad access log: one malformed line is dead-lettered (received today)
    assert.equal((await runTorlogs(['ingest', '--file', fixture('logs', 'lnav-fixtures', 'logfile_bad_access_log.0'), '--site', 'shop.example'], env)).code, 0);
    assert.equal((await runTorlogs(['tor', 'import', fixture('tor', 'bulk-snapshots')], env)).code, 0);
    const rep = await runTorlogs(['report', '--date', '2023-06-03', '--json'], env);
    assert.equal(rep.code, 0, rep.stderr);
    const written = JSON.parse(rep.stdout) as Array<{ site: string; files: Record<string, string>; webhook: { ok: boolean; attempts: number } }>;
    assert.deepEqual(written.map((w) => w.site), ['*', 'blog.example', 'shop.example']);
    assert.deepEqual(written.map((w) => [w.webhook.ok, w.webhook.attempts]), [[true, 2], [true, 1], [true, 1]]);
    const all = written[0]!;
    const json = JSON.parse(readFileSync(all.files.json!, 'utf8')) as ReportData;
    assert.deepEqual(JSON.parse(hits[1]!.body), json, 'the webhook received the JSON report');
    assert.equal(hits.length, 4);

    // the JSON against the store
    const s = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
    try {
      const d = await s.query<{ n: string; e: string; u: string }>(
        "SELECT count() AS n, countIf(tor_verdict = 'exit') AS e, countIf(tor_verdict = 'unknown') AS u FROM ${DB}.requests_tor WHERE toDate(ts) = '2023-06-03'",
      );
      assert.equal(json.totals.requests, Number(d[0]!.n));
      assert.equal(json.torVerdicts.exit.requests, Number(d[0]!.e));
      assert.equal(json.torData.unknownRequests, Number(d[0]!.u));
    } finally {
      await s.close();
    }
    assert.ok(json.torVerdicts.exit.requests > 100 && json.topTorPaths.length > 0 && json.topTorCountries.length > 0);
    assert.equal(json.hourly.reduce((x, h) => x + h.requests, 0), json.totals.requests);
    const csv = readFileSync(all.files.csv!, 'utf8').split('\n');
    assert.equal(csv[1], `total,*,${json.totals.requests},${json.totals.uniqueIps},${json.totals.bytes},${json.totals.torShare}`);
    assert.match(readFileSync(all.files.md!, 'utf8'), new RegExp(`\\| ${json.totals.requests} \\| ${json.totals.bytes} \\| ${json.totals.uniqueIps} \\|`));

    // ingest health: dead letters of the day they were received (a dead letter has no trustworthy time of its own)
    const today = new Date().toISOString().slice(0, 10);
    const health = await runTorlogs(['report', '--date', today, '--site', 'shop.example', '--json'], { ...env, TORLOGS_REPORT_WEBHOOK_URL: '' });
    assert.equal(health.code, 0, health.stderr);
    const hj = JSON.parse(readFileSync((JSON.parse(health.stdout) as typeof written)[0]!.files.json!, 'utf8')) as ReportData;
    assert.deepEqual(hj.ingest.deadLetteredByReason, [{ reason: 'malformed_line', lines: 1 }]);
    assert.equal(hj.ingest.deadLettered, 1);
    assert.match(readFileSync((JSON.parse(health.stdout) as typeof written)[0]!.files.html!, 'utf8'), /data-field="ingest.deadLetteredByReason.0.lines">1</);

    // the page as Chromium renders it
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1000,4000'];
    const dom = (await run(browser, [...flags, '--dump-dom', `file://${all.files.html}`], { maxBuffer: 64 << 20 })).stdout;
    for (const [chart, expected] of Object.entries(CHARTS)) {
      const svg = new RegExp(`<svg[^>]*data-chart="${chart}"[^>]*>([\\s\\S]*?)</svg>`).exec(dom);
      assert.ok(svg, `chart ${chart} is in the rendered DOM`);
      const marks = [...svg[1]!.matchAll(/class="mark"[^>]*data-field="([^"]+)" data-value="([^"]+)"/g)];
      if (expected > 0) assert.equal(marks.length, expected, chart);
      else assert.ok(marks.length > 0, `${chart} drew marks`);
      for (const [, field, value] of marks) assert.equal(Number(value), at(json, field!), `${chart} ${field}`);
    }
    // every number printed in a table equals the JSON's
    const cells = [...dom.matchAll(/<td class="num" data-field="([^"]+)"(?: data-value="([^"]+)")?>([^<]*)<\/td>/g)];
    assert.ok(cells.length > 150, `${cells.length} numeric cells`);
    for (const [, field, value, text] of cells) {
      const v = at(json, field!) as number;
      if (value !== undefined) {
        assert.equal(Number(value), v, field);
        assert.equal(text, `${(v * 100).toFixed(2)}%`, field);
      } else assert.equal(text, String(v), field);
    }

    const png = join(dir, 'report.png');
    await run(browser, [...flags, `--screenshot=${png}`, `file://${all.files.html}`]);
    const img = decodePng(readFileSync(png));
    let ink = 0, purple = 0;
    for (let i = 0; i < img.data.length; i += img.channels) {
      const [r, g, b] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
      if (r < 240 || g < 240 || b < 240) ink++;
      if (r > 100 && r < 150 && g > 50 && g < 90 && b > 130 && b < 175) purple++; // #7d4698, the bars
    }
    assert.equal(img.width, 1000);
    assert.ok(ink > 20_000, `non-white pixels: ${ink}`);
    assert.ok(purple > 5_000, `chart-coloured pixels: ${purple}`);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
