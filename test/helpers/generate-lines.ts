/**
 * Deterministic generator of access-log lines (Apache/nginx combined) for volume tests and benchmarks. Every
 * line's expected fate is known by construction: the generator counts how many lines it made of each kind, so a
 * test can assert exact stored / dead-lettered counts per reason without trusting the parser under test.
 */
import { prng } from '../../shared/core/prng.js';
import { formatClfTime as clfTime } from '../../shared/parse/clf-time.js';
export interface GeneratedLine {
  line: string;
  /** the reason code this line must be dead-lettered with, or null when it must be stored */
  expect: null | 'malformed_line' | 'bad_timestamp' | 'empty_line';
  site: string;
}

export interface GeneratorOptions {
  seed?: number;
  /** start of the time range (epoch ms) */
  fromMs?: number;
  /** spacing between consecutive lines (ms) */
  stepMs?: number;
  /** IPs to draw clients from (canonical); default: a synthetic pool */
  ips?: string[];
  sites?: string[];
  /** one malformed line every N lines (0 = none) */
  malformedEvery?: number;
  /** one line with an impossible timestamp every N lines (0 = none) */
  badTimestampEvery?: number;
}

const PATHS = ['/', '/index.html', '/login', '/search?q=tor', '/api/v1/items/42', '/static/app.js', '/images/logo.png', '/checkout', '/robots.txt', '/wp-login.php'];
const AGENTS = ['Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0', 'curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36', 'Googlebot/2.1 (+http://www.google.com/bot.html)'];
const STATUSES = [200, 200, 200, 200, 304, 301, 404, 403, 500, 502];

export { prng, clfTime };

export function* generateLines(count: number, o: GeneratorOptions = {}): Generator<GeneratedLine> {
  const rnd = prng(o.seed ?? 42);
  const from = o.fromMs ?? Date.UTC(2023, 5, 1, 8, 0, 0);
  const step = o.stepMs ?? 250;
  const sites = o.sites ?? ['shop.example', 'blog.example', 'api.example'];
  const ips = o.ips ?? Array.from({ length: 5000 }, (_, i) => (i % 10 === 9 ? `2001:db8:${((i * 7919) % 65536).toString(16)}::${(i % 251).toString(16)}` : `${11 + (i % 200)}.${(i * 37) % 256}.${(i * 101) % 256}.${1 + (i % 254)}`));
  for (let i = 0; i < count; i++) {
    const site = sites[i % sites.length]!;
    if (o.malformedEvery && i % o.malformedEvery === o.malformedEvery - 1) {
      yield { line: `garbage line ${i} without any log structure`, expect: 'malformed_line', site };
      continue;
    }
    const ip = ips[Math.floor(rnd() * rnd() * ips.length)]!; // skewed: some IPs are much more frequent
    const ms = from + i * step;
    const bad = o.badTimestampEvery && i % o.badTimestampEvery === o.badTimestampEvery - 1;
    const time = bad ? clfTime(ms).replace(/\/(\w{3})\//, '/Foo/') : clfTime(ms, [0, 60, -300, 330][i % 4]!);
    const path = PATHS[Math.floor(rnd() * PATHS.length)]!;
    const status = STATUSES[Math.floor(rnd() * STATUSES.length)]!;
    const bytes = status === 304 ? '-' : String(Math.floor(rnd() * 50_000));
    const ua = AGENTS[i % AGENTS.length]!;
    yield { line: `${ip} - - [${time}] "GET ${path} HTTP/1.1" ${status} ${bytes} "-" "${ua}"`, expect: bad ? 'bad_timestamp' : null, site };
  }
}
