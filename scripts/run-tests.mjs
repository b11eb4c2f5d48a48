#!/usr/bin/env node
// Runs the project's tests with node's own test runner (TypeScript through tsx) and ends with the
// plain summary line `N passed, N failed, N skipped`. Usage: node scripts/run-tests.mjs [unit] [integration] [--only <substring>]
// Integration tests need the local services (npm run services:start); they fail, never skip, without them.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: node scripts/run-tests.mjs [unit] [integration] [--only <path substring>]');
  process.exit(0);
}
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;
const kinds = args.filter((a, i) => !a.startsWith('--') && (onlyIdx < 0 || i !== onlyIdx + 1));
const suites = (kinds.length ? kinds : ['unit', 'integration']).filter((k) => k === 'unit' || k === 'integration');

function walk(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const files = suites.flatMap((s) => walk(join(root, 'test', s))).filter((f) => !only || f.includes(only)).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
console.log(`running ${files.length} test files: ${suites.join(' + ')}`);

// children inherit NODE_OPTIONS: TypeScript via tsx; UTC everywhere
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim();
process.env.TZ = 'UTC';

let passed = 0, failed = 0, skipped = 0, todo = 0;
const failures = [];
const stream = run({ files, concurrency: 1, timeout: 20 * 60_000 });
stream.on('test:pass', (e) => {
  if (e.details?.type === 'suite') return;
  if (e.skip) skipped++; else if (e.todo) todo++; else passed++;
});
stream.on('test:fail', (e) => {
  if (e.details?.type === 'suite') return;
  failed++;
  failures.push(`${relative(root, e.file ?? '?')}: ${e.name}`);
});
stream.compose(spec).pipe(process.stdout);
stream.on('end', () => {
  setImmediate(() => {
    if (failures.length) console.log(`\nfailed tests:\n  ${failures.join('\n  ')}`);
    console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
    process.exitCode = failed > 0 || skipped > 0 || todo > 0 || passed === 0 ? 1 : 0;
  });
});
