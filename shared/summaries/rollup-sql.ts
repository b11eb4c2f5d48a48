/**
 * The rollup of one window in one pass over `requests`: the query-time Tor verdict is evaluated once per row, then
 * GROUPING SETS produce every dimension per site and for all sites ('*'). Tor-only dimensions (tor_country,
 * tor_asn, tor_path) count requests whose verdict is `exit`. Each (site, dim) keeps its TOP_KEYS biggest keys.
 * Unique IPs count the address as a UInt128 (the same 128 bits, one-to-one; hashing it is ~1.7x faster than IPv6).
 */
export const TOP_KEYS = 500;

/** dimensions in the order of the grouping columns; `total` has no key */
export const DIMENSIONS = ['total', 'tor_verdict', 'country', 'asn', 'status_class', 'tor_country', 'tor_asn', 'tor_path'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

const KEY_COLUMNS: Record<Exclude<Dimension, 'total'>, string> = {
  tor_verdict: 'v',
  country: 'country',
  asn: 'asn_k',
  status_class: 'cls',
  tor_country: 'tor_country',
  tor_asn: 'tor_asn',
  tor_path: 'tor_path',
};

const keyed = Object.entries(KEY_COLUMNS) as Array<[Dimension, string]>;
const sets = ['(site)', '()', ...keyed.flatMap(([, c]) => [`(site, ${c})`, `(${c})`])].join(', ');
// grouping(x) = 1 when x is not part of the grouping set (standard semantics, forced by the setting below)
const dimExpr = `multiIf(${keyed.map(([d, c]) => `grouping(${c}) = 0, '${d}'`).join(', ')}, 'total')`;
const keyExpr = `multiIf(${keyed.map(([, c]) => `grouping(${c}) = 0, toString(assumeNotNull(${c}))`).join(', ')}, '')`;
const nullKey = `multiIf(${keyed.map(([, c]) => `grouping(${c}) = 0, isNull(${c})`).join(', ')}, 0)`;

/**
 * SELECT (grain, window_start, run_id, site, dim, key, requests, bytes, unique_ips) for the rows with
 * ts in [{from}, {to}). Parameters: grain:String, ws:DateTime, run:UUID, from:DateTime64(3), to:DateTime64(3).
 */
export const ROLLUP_SELECT = `SELECT {grain:String} AS grain, {ws:DateTime} AS window_start, {run:UUID} AS run_id, site_out AS site, dim, key, requests, bytes, unique_ips
FROM
(
    SELECT if(grouping(site) = 0, site, '*') AS site_out, ${dimExpr} AS dim, ${keyExpr} AS key, ${nullKey} AS null_key,
        count() AS requests, sum(bytes) AS bytes, uniqExact(toUInt128(ip)) AS unique_ips
    FROM
    (
        SELECT site, ip, bytes, \${DB}_tor_verdict(ip, ts) AS v, toString(country) AS country, toString(asn) AS asn_k,
            concat(toString(intDiv(status, 100)), 'xx') AS cls,
            if(v = 'exit', toString(country), NULL) AS tor_country,
            if(v = 'exit', toString(asn), NULL) AS tor_asn,
            if(v = 'exit', path, NULL) AS tor_path
        FROM \${DB}.requests
        WHERE ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}
    )
    GROUP BY GROUPING SETS (${sets})
)
WHERE null_key = 0
ORDER BY site, dim, requests DESC, key
LIMIT ${TOP_KEYS} BY site, dim`;

export const ROLLUP_SETTINGS = { force_grouping_standard_compatibility: 1 } as const;

export const ROLLUP_INSERT = `INSERT INTO \${DB}.summary_rollups (grain, window_start, run_id, site, dim, key, requests, bytes, unique_ips)
${ROLLUP_SELECT}`;
