/** `torlogs api-key create|list|revoke`: API keys (stored hashed; the key itself is printed once, at creation). */
import type { Command } from 'commander';
import { API_ROLES, createApiKey, listApiKeys, revokeApiKey } from '../api/api-keys.js';
import { TorlogsError } from '../core/errors.js';
import { ensureSchema } from '../store/ensure-schema.js';
import { runCli } from './command-context.js';

const EMBEDDED_NOTE = '\nEmbedded store: run it while `torlogs serve` is stopped (one process owns the data directory); the API sees new or revoked keys within 5 s.';

export function registerApiKeyCommand(program: Command): void {
  const cmd = program.command('api-key').description('API keys for the HTTP API: create (prints the key once), list, revoke');

  cmd
    .command('create')
    .description('create a key and print it (only its sha256 is stored: keep it now)')
    .requiredOption('--name <name>', 'who or what uses the key')
    .requiredOption('--role <role>', `${API_ROLES.join(' or ')} (analyst: also POST /v1/sql)`)
    .option('--json', 'print { key, id, name, role, createdAt } as JSON')
    .addHelpText('after', EMBEDDED_NOTE)
    .action((opts: { name: string; role: string; json?: boolean }) =>
      runCli(async (ctx) => {
        const store = ctx.store();
        await ensureSchema(store, ctx.config);
        const { key, info } = await createApiKey(store, opts.name, opts.role);
        if (opts.json) process.stdout.write(`${JSON.stringify({ key, ...info })}\n`);
        else {
          process.stdout.write(`${key}\n`);
          process.stderr.write(`created key ${info.id} (${info.role}) for ${JSON.stringify(info.name)}: shown once, store it now; send it as "Authorization: Bearer <key>"\n`);
        }
      }),
    );

  cmd
    .command('list')
    .description('list keys (id, name, role, created, revoked); never the keys themselves')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) =>
      runCli(async (ctx) => {
        const store = ctx.store();
        await ensureSchema(store, ctx.config);
        const keys = await listApiKeys(store);
        if (opts.json) return void process.stdout.write(`${JSON.stringify(keys)}\n`);
        if (keys.length === 0) process.stdout.write('no API keys (torlogs api-key create --name N --role R)\n');
        for (const k of keys) process.stdout.write(`${k.id}\t${k.role}\t${k.createdAt}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}\t${k.name}\n`);
      }),
    );

  cmd
    .command('revoke')
    .description('revoke a key by its id (from list)')
    .argument('<id>', 'key id (12 hex digits, the part after tlk_)')
    .action((id: string) =>
      runCli(async (ctx) => {
        if (!/^[0-9a-f]{12}$/.test(id)) throw new TorlogsError('usage_invalid', `<id> must be 12 hex digits (torlogs api-key list), got ${JSON.stringify(id.slice(0, 40))}`);
        const store = ctx.store();
        await ensureSchema(store, ctx.config);
        if (!(await revokeApiKey(store, id))) throw new TorlogsError('usage_invalid', `no API key with id ${id}`);
        process.stdout.write(`revoked ${id}\n`);
      }),
    );
}
