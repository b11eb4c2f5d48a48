import type { Migration } from './migration.js';

/**
 * Checks and API (issue 5):
 *   api_keys       API keys, stored hashed (sha256 of a 160-bit random key): one row per event (created, revoked);
 *                  the state of a key is its latest row (argMax by at)
 *   tor_hits       parameterised view: requests on a site in [from_ts, to_ts) whose IP was a Tor exit at the time
 *                  SELECT * FROM torlogs.tor_hits(site = 'shop.example', from_ts = '2023-06-01 00:00:00', to_ts = '2023-06-02 00:00:00')
 *   ip_requests    parameterised view: one IP's requests in [from_ts, to_ts) with the verdict at each request
 *                  SELECT * FROM torlogs.ip_requests(ip = '185.220.101.1', from_ts = '2023-06-01 00:00:00', to_ts = '2023-06-02 00:00:00')
 * Both evaluate `${DB}_tor_verdict(ip, ts)` at query time (the latest Tor history), after filtering by their
 * parameters, so they stay fast on a large table. Server users, roles and grants: ACCESS_CONTROL in
 * shared/api/access-control.ts (applied on request, ClickHouse >= 20.5) and deploy/clickhouse/users.d.
 */
export const migration008: Migration = {
  version: 8,
  name: 'api',
  statements: [
    `CREATE TABLE IF NOT EXISTS \${DB}.api_keys
(
    key_id      String,
    name        String,
    role        LowCardinality(String),
    key_hash    String,
    event       Enum8('created' = 1, 'revoked' = 2),
    at          DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (key_id, at)`,
    `CREATE VIEW IF NOT EXISTS \${DB}.tor_hits AS
SELECT * FROM
(
    SELECT *, \${DB}_tor_verdict(ip, ts) AS tor_verdict
    FROM \${DB}.requests
    WHERE site = {site:String} AND ts >= parseDateTime64BestEffort({from_ts:String}, 3, 'UTC') AND ts < parseDateTime64BestEffort({to_ts:String}, 3, 'UTC')
)
WHERE tor_verdict = 'exit'`,
    `CREATE VIEW IF NOT EXISTS \${DB}.ip_requests AS
SELECT *, \${DB}_tor_verdict(ip, ts) AS tor_verdict
FROM \${DB}.requests
WHERE ip = toIPv6({ip:String}) AND ts >= parseDateTime64BestEffort({from_ts:String}, 3, 'UTC') AND ts < parseDateTime64BestEffort({to_ts:String}, 3, 'UTC')`,
  ],
};
