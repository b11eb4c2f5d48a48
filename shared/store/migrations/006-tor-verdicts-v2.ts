import type { Migration } from './migration.js';

/**
 * The SQL twin of the verdict rules, second version: the same rules as shared/tor (docs/tor-verdicts.md), which a
 * test checks on the same data (test/integration/tor-sql-twin.test.ts). Replaces migration 005's objects (same
 * names, so analysts' queries keep working):
 *   tor_observations.last_status / bad_exit, tor_coverage.family (0 = both families, 4, 6)
 *   tor_policy.max_gap_s   per-kind join gap; slack_s becomes the `not_exit` coverage window (default = margin)
 *   tor_exit_intervals     per (ip, kind): spans joined while the gap to the next is <= max_gap_s[kind]
 *   tor_near_intervals     the same widened by the margin
 *   tor_covered_intervals  per family: coverage merged (1 s touch), shrunk by the slack: T inside ⇔ T ± slack covered
 *   dictionaries over them with millisecond ranges (inclusive bounds), `${DB}_tor_verdict(ip, t)`, requests_tor
 * Coverage rows written before this migration get the family their document lists (IPv4 only → 4, any IPv6 → 0).
 */
const DAY_S = 86_400;
const GAPS = "map('exit_scan', 5400, 'onionoo_exit', 5400, 'bulk_snapshot', 5400, 'consensus_exit_or', 1800, 'onionoo_exit_or', 5400)";
const policy = (col: string) => `(SELECT argMax(${col}, updated_at) FROM \${DB}.tor_policy)`;
const ms = (col: string) => `toInt64(toUnixTimestamp(${col})) * 1000`;
const V4_MAPPED = "BETWEEN toIPv6('::ffff:0.0.0.0') AND toIPv6('::ffff:255.255.255.255')";

const coveredFamily = (family: 4 | 6) => `SELECT toUInt64(${family}) AS family, merged_from, merged_to
FROM
(
    SELECT min(covered_from) AS merged_from, max(covered_to) AS merged_to
    FROM
    (
        SELECT covered_from, covered_to,
            sum(is_new) OVER (ORDER BY covered_from, covered_to ROWS UNBOUNDED PRECEDING) AS grp
        FROM
        (
            SELECT covered_from, covered_to,
                toInt64(toUnixTimestamp(covered_from))
                    - max(toInt64(toUnixTimestamp(covered_to))) OVER (ORDER BY covered_from, covered_to ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) > 1 AS is_new
            FROM \${DB}.tor_coverage
            WHERE family IN (0, ${family})
        )
    )
    GROUP BY grp
)`;

const rangeDict = (name: string, key: string, source: string, layout: string) => `CREATE DICTIONARY IF NOT EXISTS \${DB}.${name}
(${key}, from_ms Int64, to_ms Int64, observations UInt64)
PRIMARY KEY ${key.split(' ')[0]}
SOURCE(CLICKHOUSE(QUERY '${source}'))
LIFETIME(MIN 300 MAX 600)
LAYOUT(${layout})
RANGE(MIN from_ms MAX to_ms)`;

export const migration006: Migration = {
  version: 6,
  name: 'tor_verdicts_v2',
  statements: [
    `DROP VIEW IF EXISTS \${DB}.requests_tor`,
    `DROP FUNCTION IF EXISTS \${DB}_tor_verdict`,
    `DROP DICTIONARY IF EXISTS \${DB}.tor_exit_dict`,
    `DROP DICTIONARY IF EXISTS \${DB}.tor_near_dict`,
    `DROP DICTIONARY IF EXISTS \${DB}.tor_coverage_dict`,
    `DROP VIEW IF EXISTS \${DB}.tor_covered_intervals`,
    `DROP VIEW IF EXISTS \${DB}.tor_near_intervals`,
    `DROP VIEW IF EXISTS \${DB}.tor_exit_intervals`,
    `ALTER TABLE \${DB}.tor_observations ADD COLUMN IF NOT EXISTS last_status DateTime('UTC') DEFAULT toDateTime(0, 'UTC') AFTER published_at`,
    `ALTER TABLE \${DB}.tor_observations ADD COLUMN IF NOT EXISTS bad_exit UInt8 DEFAULT 0 AFTER last_status`,
    `ALTER TABLE \${DB}.tor_coverage ADD COLUMN IF NOT EXISTS family UInt8 DEFAULT 0 AFTER kind`,
    `ALTER TABLE \${DB}.tor_coverage UPDATE family = 4
WHERE family = 0 AND source_id NOT IN (SELECT DISTINCT source_id FROM \${DB}.tor_observations WHERE NOT (ip ${V4_MAPPED}))
SETTINGS mutations_sync = 2`,
    `ALTER TABLE \${DB}.tor_policy ADD COLUMN IF NOT EXISTS max_gap_s Map(String, UInt32) AFTER slack_s`,
    `INSERT INTO \${DB}.tor_policy (margin_s, slack_s, max_gap_s, updated_at)
SELECT m, m, ${GAPS}, now64(3) FROM (SELECT ifNull(nullIf(${policy('margin_s')}, 0), ${DAY_S}) AS m)`,
    `CREATE VIEW IF NOT EXISTS \${DB}.tor_exit_intervals AS
SELECT ip, kind, min(valid_from) AS valid_from, max(valid_to) AS valid_to, count() AS observations
FROM
(
    SELECT ip, kind, valid_from, valid_to,
        sum(is_new) OVER (PARTITION BY ip, kind ORDER BY valid_from, valid_to ROWS UNBOUNDED PRECEDING) AS grp
    FROM
    (
        SELECT ip, kind, valid_from, valid_to,
            -- the first row of a partition compares with max() over no rows (0): always a new interval
            toInt64(toUnixTimestamp(valid_from))
                - max(toInt64(toUnixTimestamp(valid_to))) OVER (PARTITION BY ip, kind ORDER BY valid_from, valid_to ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                > ${policy('max_gap_s')}[kind] AS is_new
        FROM \${DB}.tor_observations
    )
)
GROUP BY ip, kind, grp`,
    `CREATE VIEW IF NOT EXISTS \${DB}.tor_near_intervals AS
SELECT ip, kind, valid_from - toIntervalSecond(m) AS valid_from, valid_to + toIntervalSecond(m) AS valid_to, observations
FROM \${DB}.tor_exit_intervals, (SELECT ${policy('margin_s')} AS m) AS p`,
    `CREATE VIEW IF NOT EXISTS \${DB}.tor_covered_intervals AS
SELECT family, merged_from + toIntervalSecond(s) AS valid_from, merged_to - toIntervalSecond(s) AS valid_to
FROM
(
${coveredFamily(4)}
UNION ALL
${coveredFamily(6)}
) AS c, (SELECT ${policy('slack_s')} AS s) AS p
WHERE toInt64(toUnixTimestamp(merged_to)) - toInt64(toUnixTimestamp(merged_from)) >= 2 * s`,
    rangeDict('tor_exit_dict', 'ip IPv6', `SELECT ip, ${ms('valid_from')} AS from_ms, ${ms('valid_to')} AS to_ms, observations FROM \${DB}.tor_exit_intervals`, 'COMPLEX_KEY_RANGE_HASHED()'),
    rangeDict('tor_near_dict', 'ip IPv6', `SELECT ip, ${ms('valid_from')} AS from_ms, ${ms('valid_to')} AS to_ms, observations FROM \${DB}.tor_near_intervals`, 'COMPLEX_KEY_RANGE_HASHED()'),
    rangeDict('tor_coverage_dict', 'family UInt64', `SELECT family, ${ms('valid_from')} AS from_ms, ${ms('valid_to')} AS to_ms, toUInt64(1) AS observations FROM \${DB}.tor_covered_intervals`, 'RANGE_HASHED()'),
    `CREATE FUNCTION IF NOT EXISTS \${DB}_tor_verdict AS (ip, t) -> multiIf(
    dictGetOrDefault('\${DB}.tor_exit_dict', 'observations', tuple(toIPv6(ip)), toUnixTimestamp64Milli(toDateTime64(t, 3, 'UTC')), toUInt64(0)) > 0, 'exit',
    dictGetOrDefault('\${DB}.tor_near_dict', 'observations', tuple(toIPv6(ip)), toUnixTimestamp64Milli(toDateTime64(t, 3, 'UTC')), toUInt64(0)) > 0, 'near',
    dictGetOrDefault('\${DB}.tor_coverage_dict', 'observations', if(toIPv6(ip) ${V4_MAPPED}, toUInt64(4), toUInt64(6)), toUnixTimestamp64Milli(toDateTime64(t, 3, 'UTC')), toUInt64(0)) > 0, 'not_exit',
    'unknown')`,
    `CREATE VIEW IF NOT EXISTS \${DB}.requests_tor AS
SELECT *, \${DB}_tor_verdict(ip, ts) AS tor_verdict FROM \${DB}.requests`,
  ],
};
