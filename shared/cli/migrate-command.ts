import type { Command } from 'commander';
import { applyAccessControl } from '../api/access-control.js';
import { migrate } from '../store/migrate.js';
import { versionAtLeast } from '../store/store.js';
import { syncTorPolicy } from '../tor-store/tor-policy-store.js';
import { runCli } from './command-context.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply the numbered ClickHouse migrations to the configured store (idempotent)')
    .option('--json', 'print the result as JSON')
    .option('--no-grants', 'server mode: do not create/update the least-privilege roles (torlogs_ingest_role, torlogs_analyst_role, torlogs_api_role)')
    .addHelpText('after', `
The store is the embedded one in TORLOGS_DATA_DIR unless TORLOGS_CLICKHOUSE_URL is set (then run it as an admin user).
Server mode, ClickHouse >= 20.5: also creates the least-privilege roles (docs/analyst-guide.md); grant them to your
users, e.g. CREATE USER ingest IDENTIFIED BY '…' DEFAULT ROLE torlogs_ingest_role. Older servers have no SQL users:
use the readonly profiles of deploy/clickhouse/users.d.`)
    .action((opts: { json?: boolean; grants?: boolean }) =>
      runCli(async (ctx) => {
        const store = ctx.store();
        const res = await migrate(store, undefined, (m) => {
          if (!opts.json) process.stderr.write(`applying migration ${m.version} ${m.name}\n`);
        });
        await syncTorPolicy(store, ctx.config);
        let grants: string = 'embedded store: read-only sessions enforce access';
        if (store.mode === 'server') {
          const h = await store.healthcheck();
          if (opts.grants === false) grants = 'skipped (--no-grants)';
          else if (versionAtLeast(h.version, 20, 5)) grants = `${await applyAccessControl(store)} role/grant statements applied`;
          else grants = `ClickHouse ${h.version} has no SQL users or roles: use the readonly profiles of deploy/clickhouse/users.d`;
        }
        if (opts.json) process.stdout.write(`${JSON.stringify({ mode: store.mode, database: store.database, ...res, grants })}\n`);
        else process.stdout.write(`${store.mode} store, database ${store.database}: ${res.applied.length} applied, ${res.alreadyApplied} already applied; grants: ${grants}\n`);
      }),
    );
}
