/**
 * Makes the store ready for a command: in embedded mode applies the migrations (this process owns the data);
 * in server mode only checks they were applied (`torlogs migrate` runs with the admin user). Then aligns the
 * stored Tor policy with the configured margin.
 */
import type { Config } from '../config/load-config.js';
import { TorlogsError } from '../core/errors.js';
import { syncTorPolicy } from '../tor-store/tor-policy-store.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import type { ClickHouseStore } from './store.js';

export async function ensureSchema(store: ClickHouseStore, cfg: Config): Promise<void> {
  if (store.mode === 'embedded') {
    await migrate(store);
    await syncTorPolicy(store, cfg);
    return;
  }
  let applied: number;
  try {
    const rows = await store.query<{ n: string }>('SELECT count(DISTINCT version) AS n FROM ${DB}.schema_migrations');
    applied = Number(rows[0]?.n ?? 0);
  } catch (err) {
    throw new TorlogsError('migration_failed', `the ClickHouse schema is missing: run \`torlogs migrate\` with an admin user first (${(err as Error).message})`, { cause: err });
  }
  if (applied < MIGRATIONS.length) throw new TorlogsError('migration_failed', `the ClickHouse schema is at ${applied} of ${MIGRATIONS.length} migrations: run \`torlogs migrate\``);
}
