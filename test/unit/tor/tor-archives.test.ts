/**
 * Archives and directory walking. The archives are built in a temp dir from the real fixtures with the system tar,
 * in CollecTor's layout (`exit-list-2018-11/01/2018-11-01-00-02-01`, `consensuses-2018-06/01/...`), so the test
 * checks the streaming reader against what tar itself wrote: ustar/GNU long names, pax, xz, gzip.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TorlogsError } from '../../../shared/core/errors.js';
import { archiveEntries } from '../../../shared/tor/tar-entries.js';
import { DEFAULT_TOR_POLICY as P } from '../../../shared/tor/tor-policy.js';
import { parseTorSources, walkTorSources, type ParsedSource } from '../../../shared/tor/tor-source-walk.js';
import { fixture } from '../../helpers/fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'torlogs-tor-archives-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const lists = readdirSync(fixture('tor', 'collector-exit-lists')).sort();
for (const f of lists) {
  const day = join(tmp, 'src', 'exit-list-2018-11', f.slice(8, 10));
  mkdirSync(day, { recursive: true });
  copyFileSync(fixture('tor', 'collector-exit-lists', f), join(day, f));
}
const cons = join(tmp, 'src', 'consensuses-2018-06', '01');
mkdirSync(cons, { recursive: true });
for (const f of readdirSync(fixture('tor', 'collector-consensuses'))) copyFileSync(fixture('tor', 'collector-consensuses', f), join(cons, f));
// a member name longer than 100 bytes needs a GNU long-name or pax record
const deep = join(tmp, 'src', 'deep', 'a'.repeat(60), 'b'.repeat(60));
mkdirSync(deep, { recursive: true });
copyFileSync(fixture('tor', 'bulk-snapshots', '2023-06-01T07-30-07Z.lst'), join(deep, '2023-06-01T07-30-07Z.lst'));
writeFileSync(join(tmp, 'src', 'deep', 'README.md'), '# not a Tor list\n');

const tar = (name: string, flags: string[], dir: string) => {
  execFileSync('tar', ['--sort=name', ...flags, '-cf', join(tmp, name), '-C', join(tmp, 'src'), dir]);
  return join(tmp, name);
};
const exitXz = tar('exit-list-2018-11.tar.xz', ['-J'], 'exit-list-2018-11');
const consGz = tar('consensuses-2018-06.tar.gz', ['-z'], 'consensuses-2018-06');
const deepGnu = tar('deep-gnu.tar', ['--format=gnu'], 'deep');
const deepPax = tar('deep-pax.tar.xz', ['-J', '--format=pax'], 'deep');

const collect = async (it: AsyncIterable<ParsedSource>) => {
  const out: ParsedSource[] = [];
  for await (const r of it) out.push(r);
  return out;
};

test('exit-list-2018-11.tar.xz: 4 members streamed through xz, same documents as the plain files', async () => {
  const fromArchive = await collect(parseTorSources([exitXz], P));
  const fromDir = await collect(parseTorSources([fixture('tor', 'collector-exit-lists')], P));
  assert.deepEqual(fromArchive.map((r) => r.source), lists.map((f) => `${exitXz}!exit-list-2018-11/${f.slice(8, 10)}/${f}`));
  const ids = (rs: ParsedSource[]) => rs.map((r) => ('document' in r ? [r.document.sourceId, r.document.observations.length, r.document.downloadedAtMs] : r.refused.message));
  assert.deepEqual(ids(fromArchive), ids(fromDir));
  assert.deepEqual(ids(fromArchive).map((x) => (x as unknown[])[1]), [934, 938, 925, 929]);
});

test('consensuses tar.gz: kinds detected by content', async () => {
  const rs = await collect(parseTorSources([consGz], P));
  assert.deepEqual(rs.map((r) => ('document' in r ? [r.document.kind, r.document.observations.length] : r.refused.message)), [['consensus', 27], ['consensus', 6]]);
});

test('long member names (GNU and pax): the snapshot time still comes from the member name; README files are skipped', async () => {
  for (const a of [deepGnu, deepPax]) {
    const rs = await collect(parseTorSources([a], P));
    assert.equal(rs.length, 1, a);
    const r = rs[0]!;
    assert.ok('document' in r);
    assert.equal(r.source, `${a}!deep/${'a'.repeat(60)}/${'b'.repeat(60)}/2023-06-01T07-30-07Z.lst`);
    assert.equal(r.document.downloadedAtMs, Date.parse('2023-06-01T07:30:07Z'));
    assert.equal(r.document.observations.length, 2189);
  }
});

test('a directory walk mixes files, archives and kinds; a non-Tor file is reported as refused, not thrown', async () => {
  writeFileSync(join(tmp, 'garbage.txt'), '429 Too Many Requests\n');
  const rs = await collect(parseTorSources([fixture('tor', 'onionoo'), consGz, join(tmp, 'garbage.txt')], P));
  assert.deepEqual(rs.map((r) => ('document' in r ? r.document.kind : 'refused')), ['onionoo', 'consensus', 'consensus', 'refused']);
  const refused = rs[3]!;
  assert.ok('refused' in refused && refused.refused.code === 'tor_source_invalid');
  let files = 0;
  for await (const f of walkTorSources([fixture('tor')])) files += f.data.length > 0 ? 1 : 0;
  assert.equal(files, 92 + 4 + 2 + 1, 'the whole fixture tree, README.md skipped');
});

test('a truncated archive fails with io_failed; stopping early ends the xz process', async () => {
  const whole = readFileSync(exitXz);
  const cut = join(tmp, 'cut.tar.xz');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
  await assert.rejects(collect(parseTorSources([cut], P)), (e: unknown) => e instanceof TorlogsError && e.code === 'io_failed');
  for await (const e of archiveEntries(exitXz)) {
    assert.equal(e.name, 'exit-list-2018-11/01/2018-11-01-00-02-01');
    break;
  }
});
