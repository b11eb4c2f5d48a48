import type { Command } from 'commander';
import { TorlogsError } from '../core/errors.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../tor/tor-document.js';
import { parseAnyTime } from '../parse/clf-time.js';
import { ensureSchema } from '../store/ensure-schema.js';
import { importTorPaths } from '../tor-store/tor-import.js';
import { torStatus } from '../tor-store/tor-status.js';
import { runTorSyncOnce } from '../tor-sync/tor-sync-service.js';
import { runCli } from './command-context.js';
import { createProgress } from './progress.js';

export function registerTorCommand(program: Command): void {
  const tor = program.command('tor').description('Tor exit history: import archives, sync live lists, show coverage');

  tor
    .command('import')
    .description('import Tor exit lists, bulk snapshots, Onionoo documents or consensuses (files, directories, .tar.xz archives)')
    .argument('<paths...>', 'files, directories or archives')
    .option('--kind <kind>', `document kind instead of detecting it: ${DOCUMENT_KINDS.join(', ')}`)
    .option('--observed-at <time>', 'snapshot time for bulk lists whose file name has none (ISO 8601 with offset, or epoch)')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nRe-importing the same file changes nothing (documents are identified by their content hash).')
    .action((paths: string[], opts: { kind?: string; observedAt?: string; json?: boolean }) =>
      runCli(async (ctx) => {
        if (opts.kind && !DOCUMENT_KINDS.includes(opts.kind as DocumentKind)) throw new TorlogsError('usage_invalid', `--kind must be one of ${DOCUMENT_KINDS.join(', ')}`);
        let observedAtMs: number | undefined;
        if (opts.observedAt) {
          const t = parseAnyTime(opts.observedAt);
          if (!t.ok) throw new TorlogsError('usage_invalid', `--observed-at: ${t.error}`);
          observedAtMs = t.ms;
        }
        const store = ctx.store();
        await ensureSchema(store, ctx.config);
        const progress = createProgress('tor import', { interactive: ctx.interactive, unit: ' files' });
        const s = await importTorPaths(store, paths, {
          kind: opts.kind as DocumentKind | undefined,
          observedAtMs,
          onProgress: (d, t) => progress.update(d, t),
          onArchive: (p) => process.stderr.write(`unpacking ${p}\n`),
        });
        progress.finish();
        if (opts.json) process.stdout.write(`${JSON.stringify(s)}\n`);
        else {
          process.stdout.write(`${s.files} files: ${s.imported} imported (${s.observations} observations), ${s.alreadyImported} already imported, ${s.refused.length} refused, ${s.invalidLineCount} invalid lines\n`);
          for (const [k, v] of Object.entries(s.byKind)) process.stdout.write(`  ${k}: ${v.documents} documents, ${v.observations} observations\n`);
          for (const r of s.refused) process.stdout.write(`  refused ${r.source}: ${r.error}\n`);
          for (const l of s.invalidLines) process.stdout.write(`  invalid ${l.source}:${l.line}: ${l.reason}\n`);
        }
        return s.refused.length > 0 ? 1 : 0;
      }),
    );

  tor
    .command('status')
    .description('coverage, last sync per source, counts')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) =>
      runCli(async (ctx) => {
        const store = ctx.store();
        await ensureSchema(store, ctx.config);
        const s = await torStatus(store);
        if (opts.json) return void process.stdout.write(`${JSON.stringify(s)}\n`);
        process.stdout.write(`history version: ${s.version ?? 'none (no Tor data: every verdict is unknown)'}\n`);
        for (const [family, c] of Object.entries(s.coverage.byFamily)) {
          process.stdout.write(`coverage ${family}: ${c.from ?? '-'} .. ${c.to ?? '-'} (${c.hours} h in ${c.intervals} intervals, ${c.gaps.length} gaps)\n`);
          for (const g of c.gaps.slice(0, 20)) process.stdout.write(`  gap ${g[0]} .. ${g[1]}\n`);
        }
        for (const o of s.observations) process.stdout.write(`${o.kind}: ${o.observations} observations, ${o.ips} IPs, ${o.first} .. ${o.last}\n`);
        for (const l of s.lastSync) process.stdout.write(`sync ${l.source}: ${l.outcome} at ${l.at}, last success ${l.lastSuccess ?? 'never'} ${l.detail}\n`);
        process.stdout.write(`policy: margin ${s.policy.marginMinutes} min, coverage slack ${s.policy.coverageSlackMinutes} min\n`);
      }),
    );

  tor
    .command('sync')
    .description('fetch the live Tor lists now (TORLOGS_TOR_SOURCES), once')
    .option('--json', 'print the outcome per source as JSON')
    .action((opts: { json?: boolean }) =>
      runCli(async (ctx) => {
        const store = ctx.store();
        await ensureSchema(store, ctx.config);
        const res = await runTorSyncOnce({ store, config: ctx.config, logger: ctx.logger, metrics: ctx.metrics });
        if (opts.json) process.stdout.write(`${JSON.stringify(res)}\n`);
        else for (const r of res) process.stdout.write(`${r.source}: ${r.outcome}${r.observations ? ` (${r.observations} observations)` : ''} ${r.detail}\n`);
        return res.some((r) => r.outcome === 'failed' || r.outcome === 'rejected') ? 1 : 0;
      }),
    );
}
