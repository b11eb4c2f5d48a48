/**
 * What an IP did on a site around a time, for many (ip, time, site) items in ONE grouped query: the items travel
 * as parallel array parameters, are joined with the requests of their IPs in the overall time range, and grouped
 * per item. Also returns the geo/ASN that ingest stored for the request nearest to each item's time.
 */
import type { ClickHouseStore } from '../store/store.js';
import { toIPv6Column } from '../net/ip.js';
import { iso } from '../tor/tor-time.js';

export interface ActivityQuery {
  ip: string;
  fromMs: number;
  toMs: number;
  atMs: number;
  /** null or '': every site */
  site: string | null;
}

export interface Activity {
  window: { from: string; to: string };
  requests: number;
  firstRequest: string | null;
  lastRequest: string | null;
  topPaths: Array<{ path: string; requests: number }>;
  statuses: Array<{ status: number; requests: number }>;
  sites: Array<{ site: string; requests: number }>;
}

export interface StoredGeo {
  country: string;
  city: string;
  asn: number;
  asOrg: string;
  /** time of the request the values come from */
  at: string;
}

export const TOP_PATHS = 10;

// Items are joined with the requests on (ip, time bucket): each item lists the buckets its window touches, so the
// join only meets the requests near its time (not every request of a busy IP in the batch's whole time range).
const SQL = `SELECT i, sum(n) AS requests, toUnixTimestamp64Milli(min(f)) AS first_ms, toUnixTimestamp64Milli(max(l)) AS last_ms,
    sumMap([path], [n]) AS paths, sumMap([status], [n]) AS statuses, sumMap([site], [n]) AS sites, argMin(g, gd) AS geo
FROM
(
    SELECT q.i AS i, r.path AS path, r.status AS status, r.site AS site, count() AS n, min(r.ts) AS f, max(r.ts) AS l,
        argMin(tuple(r.country, r.city, r.asn, r.as_org, toUnixTimestamp64Milli(r.ts)), abs(toUnixTimestamp64Milli(r.ts) - q.at)) AS g,
        min(abs(toUnixTimestamp64Milli(r.ts) - q.at)) AS gd
    FROM
    (
        SELECT ip, intDiv(toUnixTimestamp(ts), {bucket:UInt32}) AS b, ts, site, path, status, country, city, asn, as_org FROM \${DB}.requests
        WHERE ip IN {ips:Array(IPv6)} AND ts >= fromUnixTimestamp64Milli({lo:Int64}) AND ts <= fromUnixTimestamp64Milli({hi:Int64})
    ) AS r
    INNER JOIN
    (
        SELECT i, {qip:Array(IPv6)}[j] AS ip, {qb:Array(UInt32)}[j] AS b, {froms:Array(Int64)}[i] AS lo, {tos:Array(Int64)}[i] AS hi,
            {ats:Array(Int64)}[i] AS at, {sites:Array(String)}[i] AS site
        FROM (SELECT j, {qi:Array(UInt32)}[j] AS i FROM (SELECT arrayJoin(range(1, length({qi:Array(UInt32)}) + 1)) AS j))
    ) AS q ON r.ip = q.ip AND r.b = q.b
    WHERE toUnixTimestamp64Milli(r.ts) >= q.lo AND toUnixTimestamp64Milli(r.ts) <= q.hi AND (q.site = '' OR r.site = q.site)
    GROUP BY i, path, status, site
)
GROUP BY i`;

/** bucket length (s): an hour, or longer for wide windows so that an item spans at most ~8 buckets */
function bucketSeconds(queries: readonly ActivityQuery[]): number {
  const widest = Math.max(...queries.map((q) => q.toMs - q.fromMs));
  return Math.max(3600, Math.ceil(widest / 1000 / 6 / 3600) * 3600);
}

interface Row {
  i: number | string;
  requests: number | string;
  first_ms: number | string;
  last_ms: number | string;
  paths: [string[], Array<number | string>];
  statuses: [number[], Array<number | string>];
  sites: [string[], Array<number | string>];
  geo: [string, string, number | string, string, number | string];
}

function ranked<K>(keys: K[], counts: Array<number | string>): Array<{ key: K; n: number }> {
  return keys.map((key, j) => ({ key, n: Number(counts[j]) })).sort((a, b) => b.n - a.n || String(a.key).localeCompare(String(b.key)));
}

export function emptyActivity(q: ActivityQuery): Activity {
  return { window: { from: iso(q.fromMs), to: iso(q.toMs) }, requests: 0, firstRequest: null, lastRequest: null, topPaths: [], statuses: [], sites: [] };
}

/** One entry per query, in order (requests 0 when the IP made none in its window). */
export async function loadActivity(store: ClickHouseStore, queries: readonly ActivityQuery[]): Promise<{ activity: Activity[]; geo: Array<StoredGeo | null> }> {
  const activity = queries.map(emptyActivity);
  const geo: Array<StoredGeo | null> = queries.map(() => null);
  if (queries.length === 0) return { activity, geo };
  const bucket = bucketSeconds(queries);
  const qi: number[] = [];
  const qip: string[] = [];
  const qb: number[] = [];
  for (const [k, q] of queries.entries()) {
    const col = toIPv6Column(q.ip);
    for (let b = Math.floor(q.fromMs / 1000 / bucket); b <= Math.floor(q.toMs / 1000 / bucket); b++) {
      qi.push(k + 1);
      qip.push(col);
      qb.push(b);
    }
  }
  const params = {
    bucket, qi, qip, qb,
    ips: [...new Set(qip)],
    froms: queries.map((q) => q.fromMs),
    tos: queries.map((q) => q.toMs),
    ats: queries.map((q) => q.atMs),
    sites: queries.map((q) => q.site ?? ''),
    lo: Math.min(...queries.map((q) => q.fromMs)),
    hi: Math.max(...queries.map((q) => q.toMs)),
  };
  const rows = await store.query<Row>(SQL, { params, readonly: true });
  for (const r of rows) {
    const k = Number(r.i) - 1;
    const a = activity[k];
    if (!a) continue;
    a.requests = Number(r.requests);
    a.firstRequest = iso(Number(r.first_ms));
    a.lastRequest = iso(Number(r.last_ms));
    a.topPaths = ranked(r.paths[0], r.paths[1]).slice(0, TOP_PATHS).map((x) => ({ path: x.key, requests: x.n }));
    a.statuses = ranked(r.statuses[0], r.statuses[1]).map((x) => ({ status: Number(x.key), requests: x.n }));
    a.sites = ranked(r.sites[0], r.sites[1]).map((x) => ({ site: x.key, requests: x.n }));
    const [country, city, asn, asOrg, atMs] = r.geo;
    if (country !== '' || Number(asn) !== 0) geo[k] = { country, city, asn: Number(asn), asOrg, at: iso(Number(atMs)) };
  }
  return { activity, geo };
}
