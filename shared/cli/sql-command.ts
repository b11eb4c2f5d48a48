/**
 * `torlogs sql "<query>"`: one read-only query for analysts. Server mode: straight to ClickHouse as the read-only
 * user (TORLOGS_SQL_USER). Embedded mode: through the running `torlogs serve` (POST /v1/sql with TORLOGS_API_KEY),
 * since one process owns the data directory; without a key, the data directory is opened directly (only works
 * while no serve process holds it). `torlogs grants` prints (or applies) the least-privilege roles for a server.
 */
import type { Command } from 'commander';
import { accessControlStatements, applyAccessControl } from '../api/access-control.js';
import { SQL_FORMATS, type SqlFormat } from '../api/sql-guard.js';
import { runAnalystSql } from '../api/sql-runner.js';
import type { Config } from '../config/load-config.js';
import { TorlogsError } from '../core/errors.js';
import { openServerStore } from '../store/server-store.js';
import { runCli, type CommandContext } from './command-context.js';

async function viaApi(cfg: Config, query: string, format: SqlFormat): Promise<string> {
  const base = (cfg.apiUrl ?? `http://${cfg.httpHost.includes(':') ? `[${cfg.httpHost}]` : cfg.httpHost}:${cfg.httpPort}`).replace(/\/+$/, '');
  let res: Response;
  try {
    res = await fetch(`${base}/v1/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cfg.apiKey}` },
      body: JSON.stringify({ query, format }),
      signal: AbortSignal.timeout((cfg.sqlTimeoutSeconds + 10) * 1000),
    });
  } catch (err) {
    throw new TorlogsError('clickhouse_unavailable', `cannot reach torlogs serve at ${base} (${(err as Error).message}): is it running? (TORLOGS_API_URL)`, { cause: err });
  }
  const text = await res.text();
  if (res.ok) return text;
  let msg = text;
  try {
    msg = (JSON.parse(text) as { error: { code: string; message: string } }).error.message;
  } catch {
    // not the API's JSON error: show the body
  }
  const code = res.status === 400 && /read-only|refused|statement/i.test(msg) ? 'clickhouse_readonly_violation' : res.status === 400 ? 'clickhouse_query_failed' : 'usage_invalid';
  throw new TorlogsError(code, `torlogs serve answered ${res.status}: ${msg}`);
}

async function runSql(ctx: CommandContext, query: string, format: SqlFormat): Promise<string> {
  const c = ctx.config;
  const limits = { maxRows: c.sqlMaxRows, timeoutSeconds: c.sqlTimeoutSeconds };
  if (c.clickhouseUrl) {
    const store = openServerStore({ url: c.clickhouseUrl, username: c.sqlUser ?? c.clickhouseUser, password: c.sqlUser ? (c.sqlPassword ?? '') : c.clickhousePassword, database: c.clickhouseDatabase, timeoutMs: c.clickhouseTimeoutMs });
    try {
      return await runAnalystSql(store, query, format, limits);
    } finally {
      await store.close();
    }
  }
  if (c.apiKey) return viaApi(c, query, format);
  let store;
  try {
    store = ctx.store();
  } catch (err) {
    if (err instanceof TorlogsError && err.code === 'clickhouse_unavailable') {
      throw new TorlogsError('clickhouse_unavailable', `${err.message}. If torlogs serve owns this data directory, query through it: set TORLOGS_API_KEY to an analyst key (torlogs api-key create --role analyst)`, { cause: err });
    }
    throw err;
  }
  return runAnalystSql(store, query, format, limits);
}

export function registerSqlCommand(program: Command): void {
  program
    .command('sql')
    .description('run one read-only SQL query on the torlogs tables and views (docs/analyst-guide.md)')
    .argument('<query>', 'SELECT / WITH / SHOW / DESCRIBE / EXPLAIN / EXISTS; tables as torlogs.requests_tor etc.')
    .option('--format <format>', `output format: ${SQL_FORMATS.join(', ')}`, 'TSVWithNames')
    .addHelpText('after', '\nWrites and schema changes are refused. Embedded store with `torlogs serve` running: set TORLOGS_API_KEY (an analyst key) and the query goes through it. Server: TORLOGS_SQL_USER / TORLOGS_SQL_PASSWORD name the read-only user.')
    .action((query: string, opts: { format: string }) =>
      runCli(async (ctx) => {
        if (!(SQL_FORMATS as readonly string[]).includes(opts.format)) throw new TorlogsError('usage_invalid', `--format must be one of ${SQL_FORMATS.join(', ')}`);
        process.stdout.write(await runSql(ctx, query, opts.format as SqlFormat));
      }),
    );

  program
    .command('grants')
    .description('least-privilege ClickHouse roles (ingest, analyst, api) for a server >= 20.5: print the SQL, or --apply it')
    .option('--apply', 'run the statements on TORLOGS_CLICKHOUSE_URL (as a user with access management)')
    .addHelpText('after', '\nUsers are bound to the roles by the operator (GRANT torlogs_analyst_role TO alice). Older servers: deploy/clickhouse/users.d profiles; see docs/analyst-guide.md.')
    .action((opts: { apply?: boolean }) =>
      runCli(async (ctx) => {
        if (!opts.apply) return void process.stdout.write(accessControlStatements(ctx.config.clickhouseDatabase).map((s) => `${s};\n`).join(''));
        if (!ctx.config.clickhouseUrl) throw new TorlogsError('usage_invalid', 'grants --apply needs a ClickHouse server (TORLOGS_CLICKHOUSE_URL); the embedded store has no users');
        const n = await applyAccessControl(ctx.store());
        process.stdout.write(`applied ${n} statements\n`);
      }),
    );
}
