/**
 * Streaming tar reader: yields the regular files of a tar stream one at a time (ustar, GNU long names, pax
 * `path`), so a month of CollecTor consensuses (thousands of members, GBs unpacked) never sits in memory or on
 * disk at once. Compressed archives are decompressed by the system `xz`/`bzip2` (Debian xz-utils, bzip2) or zlib.
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { TorlogsError } from '../core/errors.js';

export interface TarEntry {
  /** path inside the archive */
  name: string;
  data: Buffer;
}

export const ARCHIVE_NAME = /\.(tar|tar\.xz|txz|tar\.gz|tgz|tar\.bz2|tbz2)$/i;

/** Bytes from a queue of chunks without re-copying everything on every chunk. */
class ByteQueue {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - off);
      c.copy(out, off, 0, k);
      off += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.length -= n;
    return out;
  }
}

const text = (b: Buffer, from: number, len: number) => {
  const s = b.subarray(from, from + len);
  const z = s.indexOf(0);
  return s.subarray(0, z < 0 ? s.length : z).toString('utf8');
};

function size(h: Buffer): number {
  if (h[124]! & 0x80) {
    let n = 0;
    for (let i = 125; i < 136; i++) n = n * 256 + h[i]!;
    return n;
  }
  const s = text(h, 124, 12).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function paxPath(data: Buffer): string | undefined {
  for (const rec of data.toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(rec);
    if (m) return m[1];
  }
  return undefined;
}

/** Regular files of a tar byte stream, in archive order. */
export async function* tarEntries(stream: AsyncIterable<Buffer | string>): AsyncGenerator<TarEntry> {
  const q = new ByteQueue();
  let header: Buffer | null = null;
  let longName: string | undefined;
  for await (const chunk of stream) {
    q.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    for (;;) {
      if (!header) {
        if (q.length < 512) break;
        header = q.take(512);
        if (header.every((b) => b === 0)) {
          header = null;
          continue;
        }
      }
      const n = size(header);
      const padded = Math.ceil(n / 512) * 512;
      if (q.length < padded) break;
      const body = q.take(padded).subarray(0, n);
      const type = String.fromCharCode(header[156]!);
      const prefix = text(header, 257, 6) === 'ustar' ? text(header, 345, 155) : '';
      const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
      header = null;
      if (type === 'L') longName = body.toString('utf8').replace(/\0+$/, '');
      else if (type === 'x') longName = paxPath(body) ?? longName;
      else if (type === 'g') continue;
      else {
        longName = undefined;
        if (type === '0' || type === '\0' || type === '7') yield { name, data: body };
      }
    }
  }
  if (header || q.length >= 512) throw new TorlogsError('io_failed', 'tar stream ended inside an entry (truncated archive?)');
}

/** Regular files of an archive file (.tar, .tar.xz, .tar.gz, .tar.bz2), streamed. */
export async function* archiveEntries(path: string): AsyncGenerator<TarEntry> {
  const lower = path.toLowerCase();
  const tool = /\.(tar\.xz|txz)$/.test(lower) ? 'xz' : /\.(tar\.bz2|tbz2)$/.test(lower) ? 'bzip2' : null;
  if (tool === null) {
    const file = createReadStream(path);
    yield* tarEntries(/\.(tar\.gz|tgz)$/.test(lower) ? file.pipe(createGunzip()) : file);
    return;
  }
  const child = spawn(tool, ['-dc', '--', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', (err) => reject(new TorlogsError('io_failed', `cannot run ${tool} for ${path} (Debian package ${tool === 'xz' ? 'xz-utils' : 'bzip2'}): ${err.message}`, { cause: err })));
    child.on('close', (code) => resolve(code ?? 1));
  });
  exited.catch(() => undefined);
  let done = false;
  try {
    yield* tarEntries(child.stdout);
    done = true;
  } finally {
    if (!done) child.kill();
  }
  const code = await exited;
  if (code !== 0) throw new TorlogsError('io_failed', `${tool} failed on ${path}: ${stderr.trim() || `exit code ${code}`}`);
}
