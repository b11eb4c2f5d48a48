/**
 * The newcomer's first command: `npm run demo` (files into a fresh embedded store) and `torlogs demo --kafka`
 * (through the local broker) on the bundled real data. Checks the printed result (exact line counts and dead
 * letters by reason, three verdicts of the three kinds with their evidence, every generated request answered as the
 * history says) and the report files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runTorlogs } from '../helpers/cli.js';
import { kafkaBrokers, requireKafka } from '../helpers/services.js';

function npmRunDemo(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TORLOGS_')) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'demo', '--', '--dir', dir], { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

test('npm run demo: real data end to end, three verdicts with evidence, report files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-demo-test-'));
  try {
    const t0 = Date.now();
    const r = await npmRunDemo(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - t0 < 120_000, `demo took ${Date.now() - t0} ms`);
    const out = r.stdout;
    assert.match(r.stderr, /1\/6 importing the real Tor history/);
    assert.match(r.stderr, /6\/6 three retrospective checks/);
    assert.match(out, /Tor history: {3}96 real documents .*, 205,485 observations/);
    assert.match(out, /Lines: {9}12,652 read, 12,645 stored, 7 dead-lettered \(malformed_line 3, bad_client_ip 4\)/);
    assert.match(out, /Known answers: 600 of 600 generated requests got the verdict the history gives/);
    assert.match(out, /Tor share: {5}\d+\.\d\d % of the stored requests came from Tor exits/);
    const verdictLines = out.split('\n').filter((l) => /^ {2}\[\w+\] /.test(l));
    assert.deepEqual(verdictLines.map((l) => /^ {2}\[(\w+)\]/.exec(l)![1]), ['exit', 'not_exit', 'unknown']);
    assert.match(out, /was a Tor exit at .*relayed it and is not its origin/);
    assert.match(out, /evidence: (exit_scan|bulk_snapshot) interval .* observations?, contains/);
    assert.match(out, /was not a Tor exit at .* according to the exit lists/);
    assert.match(out, /Unknown: no Tor data covers .* This is not a "no"\./);
    const html = /^Report: +(\S+\.html)$/m.exec(out)?.[1];
    assert.ok(html && existsSync(html), `report ${html}`);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<svg/);
    for (const ext of ['json', 'csv', 'md']) assert.ok(existsSync(html.replace(/\.html$/, `.${ext}`)), ext);
    const json = JSON.parse(readFileSync(html.replace(/\.html$/, '.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(json.site, '*');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('torlogs demo --kafka: the same result through the local broker', async () => {
  await requireKafka();
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-demo-kafka-'));
  try {
    const r = await runTorlogs(['demo', '--kafka', '--json', '--dir', dir], { TORLOGS_KAFKA_BROKERS: kafkaBrokers().join(',') });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { via: string; lines: number; stored: number; deadLettered: Record<string, number>; expectedAgree: { checked: number; agree: number }; checks: Array<{ verdict: string }> };
    assert.equal(j.via, 'kafka');
    assert.deepEqual({ lines: j.lines, stored: j.stored, dead: j.deadLettered }, { lines: 12_652, stored: 12_645, dead: { bad_client_ip: 4, malformed_line: 3 } });
    assert.deepEqual(j.expectedAgree, { checked: 600, agree: 600 });
    assert.deepEqual(j.checks.map((c) => c.verdict), ['exit', 'not_exit', 'unknown']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
