/**
 * An embedded store for the checks/API/SQL tests: migrated, holding the real Tor fixture history (every folder of
 * test/fixtures/tor imported with importTorPaths) and a handful of hand-written requests whose counts the tests
 * know exactly. Not a test file itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../../shared/store/embedded-store.js';
import { migrate } from '../../../shared/store/migrate.js';
import type { ClickHouseStore } from '../../../shared/store/store.js';
import { importTorPaths } from '../../../shared/tor-store/tor-import.js';
import { fixture } from '../../helpers/fixtures.js';

export const TOR_DIRS = ['bulk-snapshots', 'collector-exit-lists', 'collector-consensuses', 'onionoo'];

const COLS = ['ts', 'site', 'ip', 'ip_source', 'peer_ip', 'method', 'path', 'status', 'bytes', 'country', 'city', 'asn', 'as_org', 'source', 'source_partition', 'source_offset', 'line_index'];

/**
 * ts, site, ip, path, status, country, city, asn, as_org. 136.243.17.36 was listed 06-01 22:30:05 .. 06-02 23:30:05
 * (bulk snapshots), 2001:470:1:908::9001 in every snapshot, 192.0.2.1 never.
 */
export const REQUESTS: Array<[string, string, string, string, number, string, string, number, string]> = [
  ['2023-06-02 11:50:00.000', 'shop.example', '::ffff:136.243.17.36', '/login', 200, 'DE', 'Falkenstein', 24940, 'Hetzner Online GmbH'],
  ['2023-06-02 11:55:00.000', 'shop.example', '::ffff:136.243.17.36', '/login', 401, 'DE', 'Falkenstein', 24940, 'Hetzner Online GmbH'],
  ['2023-06-02 12:00:00.000', 'shop.example', '::ffff:136.243.17.36', '/login', 401, 'DE', 'Falkenstein', 24940, 'Hetzner Online GmbH'],
  ['2023-06-02 12:10:00.000', 'shop.example', '::ffff:136.243.17.36', '/cart', 200, 'DE', 'Falkenstein', 24940, 'Hetzner Online GmbH'],
  ['2023-06-02 12:20:00.000', 'blog.example', '::ffff:136.243.17.36', '/', 200, 'DE', 'Falkenstein', 24940, 'Hetzner Online GmbH'],
  ['2023-06-02 15:00:00.000', 'shop.example', '::ffff:136.243.17.36', '/late', 200, 'DE', 'Falkenstein', 24940, 'Hetzner Online GmbH'],
  ['2023-06-02 12:00:30.000', 'shop.example', '2001:470:1:908::9001', '/search', 200, 'US', '', 6939, 'Hurricane Electric LLC'],
  ['2023-06-03 06:00:00.000', 'shop.example', '::ffff:192.0.2.1', '/', 200, '', '', 0, ''],
  ['2023-06-03 06:01:00.000', 'shop.example', '::ffff:192.0.2.1', '/admin', 403, '', '', 0, ''],
  // 45.61.184.38: listed at 06-03 05:30:05 and 07:30:05, not at 06:30:05
  ['2023-06-03 05:30:05.000', 'shop.example', '::ffff:45.61.184.38', '/a', 200, 'US', '', 0, ''],
  ['2023-06-03 06:30:05.000', 'shop.example', '::ffff:45.61.184.38', '/b', 200, 'US', '', 0, ''],
  ['2023-06-03 07:30:05.000', 'shop.example', '::ffff:45.61.184.38', '/c', 500, 'US', '', 0, ''],
];

export interface FixtureStore {
  store: ClickHouseStore;
  dir: string;
  close(): Promise<void>;
}

export async function openFixtureStore(): Promise<FixtureStore> {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-checks-'));
  const store = openEmbeddedStore({ dataDir: dir, database: 'torlogs' });
  await migrate(store);
  const s = await importTorPaths(store, TOR_DIRS.map((d) => fixture('tor', d)));
  if (s.refused.length > 0) throw new Error(`fixture import refused: ${JSON.stringify(s.refused)}`);
  const rows = REQUESTS.map(([ts, site, ip, path, status, country, city, asn, org], i) =>
    [ts, site, ip, 'remote_addr', ip, 'GET', path, status, 100, country, city, asn, org, 'fixture', 0, i, 0].join('\t'),
  );
  await store.insert({ table: 'requests', columns: COLS, format: 'TabSeparated', data: `${rows.join('\n')}\n` });
  return {
    store,
    dir,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
