import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchDbFiles } from '../../../shared/geo/db-file-watcher.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a rename in the directory gives one debounced signal (no waiting for the periodic check)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-watch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'db.mmdb');
  writeFileSync(path, 'old');
  let signals = 0;
  const w = watchDbFiles({ paths: [path], pollMs: 60_000, debounceMs: 50, onSignal: () => signals++, onWatchError: (d, e) => assert.fail(`${d}: ${String(e)}`) });
  t.after(() => w.close());
  for (let i = 0; i < 5; i++) {
    writeFileSync(`${path}.tmp`, `new ${i}`);
    renameSync(`${path}.tmp`, path);
  }
  await wait(300);
  assert.equal(signals, 1);
});

test('an unwatchable directory is reported and the periodic check still signals', async (t) => {
  const errors: string[] = [];
  let signals = 0;
  const w = watchDbFiles({ paths: ['/nonexistent-torlogs-dir/db.mmdb'], pollMs: 40, debounceMs: 10, onSignal: () => signals++, onWatchError: (d, e) => errors.push(`${d}: ${(e as NodeJS.ErrnoException).code}`) });
  t.after(() => w.close());
  await wait(150);
  assert.deepEqual(errors, ['/nonexistent-torlogs-dir: ENOENT']);
  assert.ok(signals >= 2, `periodic signals: ${signals}`);
});

test('close stops both the watcher and the periodic check', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'torlogs-watch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let signals = 0;
  const w = watchDbFiles({ paths: [join(dir, 'db.mmdb')], pollMs: 20, debounceMs: 10, onSignal: () => signals++ });
  w.close();
  writeFileSync(join(dir, 'db.mmdb'), 'x');
  await wait(100);
  assert.equal(signals, 0);
});
