/**
 * @deprecated for new code: walkTorSources (tor-source-walk.ts) streams archives member by member instead of
 * unpacking them. Kept for shared/tor-store/tor-import.ts: files to import from plain files, directories
 * (recursively, sorted), and archives (`.tar`, `.tar.xz`, `.tar.gz`) unpacked with the system tar into a temporary
 * directory that `cleanup` removes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TorlogsError } from '../core/errors.js';
import { ARCHIVE_NAME as ARCHIVE } from './tar-entries.js';

const run = promisify(execFile);

export interface TorFile {
  path: string;
  /** name shown as the source (archive!inner/path for archive members) */
  source: string;
}

export async function expandTorPaths(paths: readonly string[], onArchive?: (p: string) => void): Promise<{ files: TorFile[]; cleanup: () => void }> {
  const temps: string[] = [];
  const files: TorFile[] = [];
  const walk = (p: string, shownAs: string) => {
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      throw new TorlogsError('io_failed', `${shownAs}: ${(err as Error).message}`, { cause: err });
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name.startsWith('.')) continue;
        walk(join(p, name), `${shownAs}/${name}`);
      }
    } else if (st.isFile()) files.push({ path: p, source: shownAs });
  };
  for (const p of paths) {
    if (ARCHIVE.test(p)) {
      onArchive?.(p);
      const dir = mkdtempSync(join(tmpdir(), 'torlogs-archive-'));
      temps.push(dir);
      try {
        await run('tar', ['-xf', p, '-C', dir], { maxBuffer: 1 << 20 });
      } catch (err) {
        throw new TorlogsError('io_failed', `cannot unpack ${p} with tar (xz-utils installed?): ${(err as Error).message}`, { cause: err });
      }
      const before = files.length;
      walk(dir, p.replace(/\/$/, '') + '!');
      for (let i = before; i < files.length; i++) files[i]!.source = files[i]!.source.replace('!/', '!');
    } else walk(p, p);
  }
  return { files, cleanup: () => temps.forEach((d) => rmSync(d, { recursive: true, force: true })) };
}
