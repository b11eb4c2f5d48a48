import type { Migration } from './migration.js';

/**
 * Summaries (issue 6, docs/summaries.md):
 *   summary_rollups   one row per (grain, window, site, dimension, key) and computation run. site '*' = all sites.
 *                     dim: total, tor_verdict, country, asn, status_class, tor_country, tor_asn, tor_path
 *   summary_windows   one row per completed computation of a window (the catch-up ledger). The newest run of a
 *                     window is the one in force; readers take rollup rows of that run only, so a re-run replaces a
 *                     window exactly (keys that disappear, e.g. `unknown` after a late Tor import, disappear too).
 *   summary_arrivals  filled by a materialized view on `requests`: when rows of each hour arrived. A window whose
 *                     rows arrived after its last computation is dirty (late log rows).
 * Tor-dependent numbers use the query-time verdict `${DB}_tor_verdict(ip, ts)`; a window is dirty as well when a
 * Tor import that can change verdicts inside it arrived after its last computation (shared/summaries/dirty-windows.ts).
 */
export const migration007: Migration = {
  version: 7,
  name: 'summaries',
  statements: [
    `CREATE TABLE IF NOT EXISTS \${DB}.summary_rollups
(
    grain         Enum8('hour' = 1, 'day' = 2),
    window_start  DateTime('UTC'),
    run_id        UUID,
    site          LowCardinality(String),
    dim           LowCardinality(String),
    key           String,
    requests      UInt64,
    bytes         UInt64,
    unique_ips    UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(window_start)
ORDER BY (grain, window_start, run_id, site, dim, key)`,
    `CREATE TABLE IF NOT EXISTS \${DB}.summary_windows
(
    grain         Enum8('hour' = 1, 'day' = 2),
    window_start  DateTime('UTC'),
    run_id        UUID,
    started_at    DateTime64(3, 'UTC'),
    finished_at   DateTime64(3, 'UTC'),
    requests      UInt64,
    reason        LowCardinality(String)
)
ENGINE = MergeTree
ORDER BY (grain, window_start, started_at)`,
    `CREATE TABLE IF NOT EXISTS \${DB}.summary_arrivals
(
    hour          DateTime('UTC'),
    arrived_at    DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(arrived_at)
ORDER BY hour`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS \${DB}.summary_arrivals_mv TO \${DB}.summary_arrivals AS
SELECT DISTINCT toStartOfHour(ts) AS hour, now64(3, 'UTC') AS arrived_at
FROM \${DB}.requests`,
    // rows stored before this migration: they arrived now, as far as summaries are concerned
    `INSERT INTO \${DB}.summary_arrivals SELECT DISTINCT toStartOfHour(ts) AS hour, now64(3, 'UTC') AS arrived_at FROM \${DB}.requests`,
  ],
};
