import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTorlogs } from '../helpers/cli.js';

/** Every command a user can run answers --help with exit 0; the list comes from `torlogs --help` itself. */
test('torlogs --help lists commands and every command answers --help', async () => {
  const top = await runTorlogs(['--help']);
  assert.equal(top.code, 0, top.stderr);
  const commands = [...top.stdout.matchAll(/^\s{2}([a-z][a-z-]*)(?: \[options\]| <[^>]+>| \[[^\]]+\])*\s{2,}/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
  assert.ok(commands.includes('migrate'), `commands found: ${commands.join(',')}`);
  for (const c of ['check', 'sql', 'grants', 'api-key']) assert.ok(commands.includes(c), `${c} is listed (issue 5)`);
  for (const c of ['summarize', 'report', 'demo', 'serve', 'migrate', 'ingest', 'tor']) assert.ok(commands.includes(c), `${c} missing; commands found: ${commands.join(',')}`);
  for (const c of commands) {
    const r = await runTorlogs([c, '--help']);
    assert.equal(r.code, 0, `${c} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`Usage: torlogs ${c}`));
    // commands with sub-commands: each of those answers --help too
    const subs = [...r.stdout.matchAll(/^Commands:\n([\s\S]*?)(?:\n\n|$)/gm)].flatMap((m) => [...m[1]!.matchAll(/^\s{2}([a-z][a-z-]*)/gm)].map((x) => x[1]!)).filter((s) => s !== 'help');
    for (const s of subs) {
      const rs = await runTorlogs([c, s, '--help']);
      assert.equal(rs.code, 0, `${c} ${s} --help: ${rs.stderr}`);
    }
  }
});

test('an invalid TORLOGS_* value exits non-zero naming the variable', async () => {
  const r = await runTorlogs(['migrate'], { TORLOGS_HTTP_PORT: 'eighty', TORLOGS_BATCH_MAX_MS: '-5' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /TORLOGS_HTTP_PORT/);
  assert.match(r.stderr, /TORLOGS_BATCH_MAX_MS/);
});

test('an unknown command exits non-zero', async () => {
  const r = await runTorlogs(['frobnicate']);
  assert.notEqual(r.code, 0);
});
