import type { Command } from 'commander';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoText } from '../demo/demo-print.js';
import { runDemo } from '../demo/demo-run.js';
import { runCli } from './command-context.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('see it work on the bundled real data: Tor history, access logs, verdicts, summaries, report, checks (embedded store)')
    .option('--dir <dir>', 'where the store, logs and reports go (default: a new temporary directory)')
    .option('--kafka', 'ingest through the local Kafka broker (`npm run services:start`; or TORLOGS_KAFKA_BROKERS)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', `
Needs nothing but Node: a fresh embedded ClickHouse store (chDB), the real Tor exit lists and bulk snapshots and the
real access logs under test/fixtures, re-timed into the history's period, plus generated requests whose verdict is
known in advance. Prints progress on stderr and the result on stdout; exits non-zero if anything fails.`)
    .action((opts: { dir?: string; kafka?: boolean; json?: boolean }) =>
      runCli(async (ctx) => {
        const dir = opts.dir ? resolve(opts.dir) : mkdtempSync(join(tmpdir(), 'torlogs-demo-'));
        const r = await runDemo({
          dir, root: ROOT, kafka: Boolean(opts.kafka), config: ctx.config, logger: ctx.config.logLevel === 'info' ? ctx.logger.child({}, { level: 'warn' }) : ctx.logger, metrics: ctx.metrics,
          say: (line) => process.stderr.write(`${line}\n`),
        });
        if (opts.json) {
          const { report, ...rest } = r;
          process.stdout.write(`${JSON.stringify({ ...rest, report: { date: report.date, files: report.files } })}\n`);
        } else process.stdout.write(demoText(r));
        return r.expectedAgree.agree === r.expectedAgree.checked ? 0 : 1;
      }),
    );
}
