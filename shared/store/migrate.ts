/**
 * Applies numbered migrations to the configured store. Idempotent: applied versions are recorded in
 * `schema_migrations` with a checksum; a changed applied migration is an error, not silently re-run.
 */
import { createHash } from 'node:crypto';
import { TorlogsError } from '../core/errors.js';
import type { Migration } from './migrations/migration.js';
import { MIGRATIONS } from './migrations/index.js';
import type { ClickHouseStore } from './store.js';

export interface MigrationResult {
  applied: Array<{ version: number; name: string }>;
  alreadyApplied: number;
}

export function migrationChecksum(m: Migration): string {
  return createHash('sha256').update(JSON.stringify([m.statements, m.serverOnly ?? []])).digest('hex').slice(0, 16);
}

export async function migrate(store: ClickHouseStore, migrations: readonly Migration[] = MIGRATIONS, onStep?: (m: Migration) => void): Promise<MigrationResult> {
  await store.command('CREATE DATABASE IF NOT EXISTS ${DB} ENGINE = Atomic');
  await store.command(`CREATE TABLE IF NOT EXISTS \${DB}.schema_migrations
(version UInt32, name String, checksum String, applied_at DateTime('UTC') DEFAULT now())
ENGINE = MergeTree ORDER BY version`);
  const rows = await store.query<{ version: number; checksum: string }>('SELECT version, any(checksum) AS checksum FROM ${DB}.schema_migrations GROUP BY version');
  const done = new Map(rows.map((r) => [Number(r.version), r.checksum]));
  const result: MigrationResult = { applied: [], alreadyApplied: 0 };
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const sum = migrationChecksum(m);
    const prev = done.get(m.version);
    if (prev !== undefined) {
      if (prev !== sum) {
        throw new TorlogsError('migration_failed', `migration ${m.version} (${m.name}) was changed after it was applied (checksum ${prev} → ${sum}); add a new migration instead`);
      }
      result.alreadyApplied++;
      continue;
    }
    onStep?.(m);
    const statements = store.mode === 'server' ? [...m.statements, ...(m.serverOnly ?? [])] : m.statements;
    for (const [i, sql] of statements.entries()) {
      try {
        await store.command(sql);
      } catch (err) {
        throw new TorlogsError('migration_failed', `migration ${m.version} (${m.name}) statement ${i + 1} failed: ${(err as Error).message}`, { cause: err });
      }
    }
    await store.command('INSERT INTO ${DB}.schema_migrations (version, name, checksum) VALUES ({v:UInt32}, {n:String}, {c:String})', { params: { v: m.version, n: m.name, c: sum } });
    result.applied.push({ version: m.version, name: m.name });
  }
  return result;
}
