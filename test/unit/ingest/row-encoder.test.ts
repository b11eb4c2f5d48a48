/**
 * The `requests` rows the line processor writes field by field equal a plain oracle: every column's value joined
 * with tabs, every string escaped (tsvEscape), the time through tsvDateTime64 — on every real fixture line and on
 * lines built to hit the paths the fast encoder takes or skips (nothing to escape, escapes, raw tabs, non-ASCII,
 * JSON escapes, clients behind a trusted proxy, the same client with another geo answer).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createClientIpResolver } from '../../../shared/client-ip/client-ip-resolver.js';
import { newBatch } from '../../../shared/ingest/batch.js';
import { createLineProcessor } from '../../../shared/ingest/line-processor.js';
import { REQUEST_COLUMNS } from '../../../shared/ingest/row-encoder.js';
import { RowBuffer } from '../../../shared/ingest/row-buffer.js';
import { tsvDateTime, tsvDateTime64, tsvEscape } from '../../../shared/ingest/tsv.js';
import type { ParsedLine } from '../../../shared/model/parsed-line.js';
import { normalizeIp, toIPv6Column } from '../../../shared/net/ip.js';
import { getParser } from '../../../shared/parse/parser-registry.js';
import { TOR_CODE_NAMES, type GeoEnricher, type GeoInfo, type TorStatusLookup } from '../../../shared/pipeline/stages.js';
import { fixture, fixtureLines } from '../../helpers/fixtures.js';

const realLines = ['elastic-examples', 'elastic-beats-fixtures', 'lnav-fixtures'].flatMap((dir) =>
  readdirSync(fixture('logs', dir)).sort().flatMap((f) => fixtureLines('logs', dir, f)),
);
const ua = 'Mozilla/5.0 (X11; Linux x86_64)';
const built = [
  `203.0.113.7 - - [10/Oct/2023:13:55:36 -0700] "GET /plain HTTP/1.1" 200 5 "-" "${ua}"`,
  `203.0.113.7 - bob [10/Oct/2023:13:55:36 +0530] "GET /a\\"quoted\\" HTTP/1.1" 200 5 "http://r.example/\\x09tab" "${ua}"`,
  `203.0.113.7 - - [10/Oct/2023:13:55:37 +0000] "GET /raw\ttab HTTP/1.1" 404 - "-" "agent\twith tab"`,
  `203.0.113.7 - - [10/Oct/2023:13:55:38 +0000] "GET /ünï/✓ HTTP/1.1" 200 17 "-" "Agent 😀 \uD800 lone"`,
  `203.0.113.8 - - [10/Oct/2023:13:55:39 +0000] "GET /C:\\\\dir HTTP/1.1" 200 0 "-" "back\\\\slash"`,
  `10.0.0.2 - - [10/Oct/2023:13:55:40 +0000] "GET /behind-proxy HTTP/1.1" 200 1 "-" "${ua}" "198.51.100.9, 10.0.0.3"`,
  `[2001:db8::1] - - [10/Oct/2023:13:55:41 +0000] "GET /v6 HTTP/1.1" 200 1 "-" "${ua}"`,
  `{"remote_addr":"203.0.113.9","time_local":"10/Oct/2023:13:55:42 +0000","request":"GET /json\\tesc HTTP/1.1","status":"200","body_bytes_sent":"3","http_referer":"","http_user_agent":"caf\\u00e9 \\\\ \\n"}`,
];

/** a geo answer per IP that changes with `generation` (a replaced database gives new objects and new values) */
function fakeGeo(): GeoEnricher & { generation: number } {
  const cache = new Map<string, GeoInfo>();
  return {
    generation: 0,
    lookup(ip) {
      const key = `${this.generation}/${ip}`;
      let g = cache.get(key);
      if (!g) {
        g = ip.endsWith('.7') ? { country: 'DE', city: `Köln\t${this.generation}`, geonameId: 2886242, asn: 3320, asOrg: 'Deutsche Telekom AG', dbBuild: 1_700_000_000 + this.generation } : { country: '', city: '', geonameId: 0, asn: 0, asOrg: '', dbBuild: 1_700_000_000 + this.generation };
        cache.set(key, g);
      }
      return g;
    },
    healthcheck: () => ({ ok: true }),
    close: () => {},
  };
}

test('every stored row equals the per-column oracle (real fixture lines and built edge cases, with a geo change midway)', () => {
  for (const format of ['auto', 'nginx_json']) {
    const parser = getParser(format);
    const clientIp = createClientIpResolver({ trustedProxies: ['10.0.0.0/8'] });
    const geo = fakeGeo();
    const tor: TorStatusLookup = { code: (ip) => (ip.endsWith('.7') ? 1 : 3), version: 42 };
    const processor = createLineProcessor({ parser, clientIp, geo, tor: () => tor, maxLineBytes: 65_536 });
    const b = newBatch('kafka:t\tx', 3, 0n, 0);
    const lines = format === 'auto' ? [...realLines, ...built, ...built] : built.filter((l) => l.startsWith('{'));
    const expected: string[] = [];
    for (const [i, line] of lines.entries()) {
      if (i === lines.length - built.length) geo.generation++; // the second copy of the built lines sees a new database
      const offset = BigInt(1_000_000 + i);
      if (!processor.process(line, 'Site.Example', { source: b.source, partition: 3, offset, lineIndex: i % 4 }, b, 0)) continue;
      const p = (parser(line) as { ok: true; value: ParsedLine }).value;
      const client = (clientIp(p) as { ok: true; value: { ip: string; via: string } }).value;
      const g = geo.lookup(client.ip);
      const peer = normalizeIp(p.remoteAddr) ?? '';
      const site = p.vhost !== '' ? p.vhost.toLowerCase().replace(/:\d+$/, '') : 'Site.Example';
      const values: Record<(typeof REQUEST_COLUMNS)[number], string> = {
        ts: tsvDateTime64(p.tsMs), site: tsvEscape(site), method: tsvEscape(p.method), path: tsvEscape(p.path), protocol: tsvEscape(p.protocol),
        status: String(p.status), bytes: String(p.bytes), duration_ms: String(Math.round(p.durationMs)), referer: tsvEscape(p.referer),
        user_agent: tsvEscape(p.userAgent), remote_user: tsvEscape(p.user), ip: toIPv6Column(client.ip), ip_source: client.via,
        peer_ip: peer === '' ? '::' : toIPv6Column(peer), country: tsvEscape(g.country), city: tsvEscape(g.city), geoname_id: String(g.geonameId),
        asn: String(g.asn), as_org: tsvEscape(g.asOrg), geo_db_build: tsvDateTime(g.dbBuild), tor_at_ingest: TOR_CODE_NAMES[tor.code(client.ip, p.tsMs)],
        tor_history_version: '42', source: 'kafka:t\\tx', source_partition: '3', source_offset: String(offset), line_index: String(i % 4),
      };
      expected.push(`${REQUEST_COLUMNS.map((c) => values[c]).join('\t')}\n`);
    }
    assert.equal(b.rows.count, expected.length, format);
    assert.ok(expected.length >= (format === 'auto' ? 10_000 : 1), `${format}: ${expected.length} rows`);
    for (let i = 0; i < expected.length; i++) assert.ok(b.rows.bytes(i, i + 1).equals(Buffer.from(expected[i]!, 'utf8')), `${format} row ${i}: ${b.rows.row(i)} ≠ ${expected[i]}`);
    assert.ok(b.rows.bytes().equals(Buffer.from(expected.join(''), 'utf8')), `${format}: the batch's bytes`);
  }
});

test('RowBuffer field writers equal Buffer.from of the same text (ASCII, accents, emoji, lone surrogates, integers, padding, separators)', () => {
  const texts = ['', 'GET', 'x'.repeat(5000), 'ünï', 'a✓b', '😀', 'ab\uD800', '\uDC00z', 'mixed 😀 and ünï at the end ✓'];
  const ints = [0, 7, 9, 10, 99, 100, 65_535, 4_294_967_295, Number.MAX_SAFE_INTEGER];
  const b = new RowBuffer(16);
  let want = '';
  for (const t of texts) {
    for (const n of ints) {
      b.text(t, 9);
      b.uint(n, 46);
      b.uint(n % 1000, -1, 3);
      b.text(t);
      b.byte(124);
      b.endRow();
      want += `${t}\t${n}.${String(n % 1000).padStart(3, '0')}${t}|\n`;
    }
  }
  assert.equal(b.count, texts.length * ints.length);
  assert.ok(b.bytes().equals(Buffer.from(want, 'utf8')));
});
