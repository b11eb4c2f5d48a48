/**
 * `npm run bench:tor`: the in-process verdict bench (bench/tor-verdict.bench.ts) and the store bench
 * (bench/tor-store.bench.ts: one month of hourly lists imported, SQL verdicts over 1,000,000 requests), each in its
 * own process so neither disturbs the other's memory and JIT. Passes extra arguments to the store bench. Prints
 * both outputs, then one JSON line merging their summaries with the targets of issue 4 and whether each is met.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(fileURLToPath(import.meta.url), '..');
function runBench(file: string, args: string[] = []): Record<string, unknown> {
  process.stderr.write(`== ${file}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, file), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  process.stderr.write(r.stdout);
  if (r.status !== 0) throw new Error(`${file} exited with ${r.status}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

const inProcess = runBench('tor-verdict.bench.ts');
const store = runBench('tor-store.bench.ts', process.argv.slice(2));
const targets = { verdicts_per_s: ['>=', 2_000_000], import_month_s: ['<=', 60], sql_verdicts_10k_ms: ['<=', 1000] } as const;
const all: Record<string, unknown> = { ...inProcess, ...store };
const met: Record<string, boolean> = {};
for (const [k, [op, v]] of Object.entries(targets)) met[k] = op === '>=' ? Number(all[k]) >= v : Number(all[k]) <= v;
console.log(
  JSON.stringify({
    verdicts_per_s: all.verdicts_per_s,
    import_month_s: all.import_month_s,
    sql_verdicts_10k_ms: all.sql_verdicts_10k_ms,
    evidence_verdicts_per_s: all.evidence_verdicts_per_s,
    requests_tor_1m_ms: all.requests_tor_1m_ms,
    targets_met: met,
    in_process: inProcess,
    store,
  }),
);
if (Object.values(met).some((x) => !x)) process.exitCode = 1;
