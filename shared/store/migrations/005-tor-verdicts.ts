import type { Migration } from './migration.js';

/**
 * The SQL twin of the verdict rules (docs/tor-verdicts.md; shared/tor/verdict.ts is the TypeScript side, and a
 * test checks both give the same answers):
 *   tor_policy             margin and coverage slack in force (written by `torlogs migrate` from the config)
 *   tor_exit_intervals     observation windows of one IP merged where they overlap or touch
 *   tor_near_intervals     the same widened by the margin, merged again
 *   tor_covered_intervals  exit-list coverage merged, shrunk by the slack: T inside ⇔ [T-slack, T+slack] covered
 *   dictionaries over them and `${DB}_tor_verdict(ip, t)` → 'exit' | 'near' | 'not_exit' | 'unknown'
 *   requests_tor           requests with the verdict evaluated now, against the whole history
 */
const merged = (inner: string) => `SELECT ip, min(valid_from) AS valid_from, max(valid_to) AS valid_to, sum(n) AS observations
FROM
(
    SELECT ip, valid_from, valid_to, n,
        sum(is_new) OVER (PARTITION BY ip ORDER BY valid_from, valid_to ROWS UNBOUNDED PRECEDING) AS grp
    FROM
    (
        SELECT ip, valid_from, valid_to, n,
            toUnixTimestamp(valid_from) > max(toUnixTimestamp(valid_to) + 1) OVER (PARTITION BY ip ORDER BY valid_from, valid_to ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS is_new
        FROM (${inner})
    )
)
GROUP BY ip, grp`;

const policy = (col: string) => `(SELECT argMax(${col}, updated_at) FROM \${DB}.tor_policy)`;

export const migration005: Migration = {
  version: 5,
  name: 'tor_verdicts',
  statements: [
    `CREATE TABLE IF NOT EXISTS \${DB}.tor_policy
(
    margin_s        UInt32,
    slack_s         UInt32,
    updated_at      DateTime64(3, 'UTC')
)
ENGINE = MergeTree ORDER BY updated_at`,
    `INSERT INTO \${DB}.tor_policy SELECT 86400, 3600, now64(3) WHERE (SELECT count() FROM \${DB}.tor_policy) = 0`,
    `CREATE VIEW IF NOT EXISTS \${DB}.tor_exit_intervals AS
${merged("SELECT ip, valid_from, valid_to, 1 AS n FROM ${DB}.tor_observations")}`,
    `CREATE VIEW IF NOT EXISTS \${DB}.tor_near_intervals AS
${merged(`SELECT ip, valid_from - ${policy('margin_s')} AS valid_from, valid_to + ${policy('margin_s')} AS valid_to, observations AS n FROM \${DB}.tor_exit_intervals`)}`,
    `CREATE VIEW IF NOT EXISTS \${DB}.tor_covered_intervals AS
SELECT valid_from + ${policy('slack_s')} AS valid_from, valid_to - ${policy('slack_s')} AS valid_to
FROM
(
${merged("SELECT toIPv6('::') AS ip, covered_from AS valid_from, covered_to AS valid_to, 1 AS n FROM ${DB}.tor_coverage WHERE kind IN ('exit_scan', 'bulk_snapshot')")}
)
WHERE valid_to - valid_from >= 2 * ${policy('slack_s')}`,
    `CREATE DICTIONARY IF NOT EXISTS \${DB}.tor_exit_dict
(ip IPv6, valid_from DateTime('UTC'), valid_to DateTime('UTC'), observations UInt64)
PRIMARY KEY ip
SOURCE(CLICKHOUSE(QUERY 'SELECT ip, valid_from, valid_to, observations FROM \${DB}.tor_exit_intervals'))
LIFETIME(MIN 300 MAX 600)
LAYOUT(COMPLEX_KEY_RANGE_HASHED())
RANGE(MIN valid_from MAX valid_to)`,
    `CREATE DICTIONARY IF NOT EXISTS \${DB}.tor_near_dict
(ip IPv6, valid_from DateTime('UTC'), valid_to DateTime('UTC'), observations UInt64)
PRIMARY KEY ip
SOURCE(CLICKHOUSE(QUERY 'SELECT ip, valid_from, valid_to, observations FROM \${DB}.tor_near_intervals'))
LIFETIME(MIN 300 MAX 600)
LAYOUT(COMPLEX_KEY_RANGE_HASHED())
RANGE(MIN valid_from MAX valid_to)`,
    `CREATE DICTIONARY IF NOT EXISTS \${DB}.tor_coverage_dict
(id UInt64, valid_from DateTime('UTC'), valid_to DateTime('UTC'), covered UInt8)
PRIMARY KEY id
SOURCE(CLICKHOUSE(QUERY 'SELECT toUInt64(0) AS id, valid_from, valid_to, toUInt8(1) AS covered FROM \${DB}.tor_covered_intervals'))
LIFETIME(MIN 300 MAX 600)
LAYOUT(RANGE_HASHED())
RANGE(MIN valid_from MAX valid_to)`,
    `CREATE FUNCTION IF NOT EXISTS \${DB}_tor_verdict AS (ip, t) -> multiIf(
    dictGetOrDefault('\${DB}.tor_exit_dict', 'observations', tuple(toIPv6(ip)), toDateTime(t, 'UTC'), toUInt64(0)) > 0, 'exit',
    dictGetOrDefault('\${DB}.tor_near_dict', 'observations', tuple(toIPv6(ip)), toDateTime(t, 'UTC'), toUInt64(0)) > 0, 'near',
    dictGetOrDefault('\${DB}.tor_coverage_dict', 'covered', toUInt64(0), toDateTime(t, 'UTC'), toUInt8(0)) = 1, 'not_exit',
    'unknown')`,
    `CREATE VIEW IF NOT EXISTS \${DB}.requests_tor AS
SELECT *, \${DB}_tor_verdict(ip, ts) AS tor_verdict FROM \${DB}.requests`,
  ],
};
