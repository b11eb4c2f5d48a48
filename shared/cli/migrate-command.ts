import type { Command } from 'commander';
import { migrate } from '../store/migrate.js';
import { syncTorPolicy } from '../tor-store/tor-policy-store.js';
import { runCli } from './command-context.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply the numbered ClickHouse migrations to the configured store (idempotent)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nThe store is the embedded one in TORLOGS_DATA_DIR unless TORLOGS_CLICKHOUSE_URL is set.')
    .action((opts: { json?: boolean }) =>
      runCli(async (ctx) => {
        const store = ctx.store();
        const res = await migrate(store, undefined, (m) => {
          if (!opts.json) process.stderr.write(`applying migration ${m.version} ${m.name}\n`);
        });
        await syncTorPolicy(store, ctx.config);
        if (opts.json) process.stdout.write(`${JSON.stringify({ mode: store.mode, database: store.database, ...res })}\n`);
        else process.stdout.write(`${store.mode} store, database ${store.database}: ${res.applied.length} applied, ${res.alreadyApplied} already applied\n`);
      }),
    );
}
