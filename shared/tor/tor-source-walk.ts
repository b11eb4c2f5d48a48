/**
 * Tor source documents from paths: plain files, directories (recursively, in name order, dot-files and README
 * files skipped) and archives (CollecTor's monthly `exit-list-YYYY-MM.tar.xz` and `consensuses-YYYY-MM.tar.xz`),
 * streamed member by member. The kind of each document is detected by its content (parseTorSource).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { TorlogsError } from '../core/errors.js';
import { parseTorSource } from './parse-tor-source.js';
import { archiveEntries, ARCHIVE_NAME } from './tar-entries.js';
import type { DocumentKind, TorDocument } from './tor-document.js';
import type { TorPolicy } from './tor-policy.js';

export interface TorSourceFile {
  /** file path, or `archive!member` for archive members */
  source: string;
  data: Buffer;
}

const skipped = (name: string) => name.startsWith('.') || /^readme/i.test(name) || /^index\.md$/i.test(name);

export async function* walkTorSources(paths: readonly string[]): AsyncGenerator<TorSourceFile> {
  for (const p of paths) yield* walkOne(p);
}

async function* walkOne(p: string): AsyncGenerator<TorSourceFile> {
  let st;
  try {
    st = await stat(p);
  } catch (err) {
    throw new TorlogsError('io_failed', `${p}: ${(err as Error).message}`, { cause: err });
  }
  if (st.isDirectory()) {
    for (const name of (await readdir(p)).sort()) if (!skipped(name)) yield* walkOne(join(p, name));
  } else if (st.isFile()) {
    if (ARCHIVE_NAME.test(p)) {
      for await (const e of archiveEntries(p)) if (!skipped(basename(e.name))) yield { source: `${p}!${e.name}`, data: e.data };
    } else yield { source: p, data: await readFile(p) };
  }
}

export type ParsedSource = { source: string; document: TorDocument } | { source: string; refused: TorlogsError };

export interface ParseSourcesOptions {
  /** every document is of this kind (else detected per document) */
  kind?: DocumentKind;
  /** snapshot time for bulk lists without a time in their name */
  observedAtMs?: number;
}

/** Parses every document under `paths`; documents that are not Tor data are reported as refused, not thrown. */
export async function* parseTorSources(paths: readonly string[], policy: TorPolicy, o: ParseSourcesOptions = {}): AsyncGenerator<ParsedSource> {
  for await (const f of walkTorSources(paths)) {
    try {
      yield { source: f.source, document: parseTorSource({ text: f.data, source: f.source, ...(o.kind ? { kind: o.kind } : {}), ...(o.observedAtMs !== undefined ? { observedAtMs: o.observedAtMs } : {}) }, policy) };
    } catch (err) {
      if (err instanceof TorlogsError && err.code === 'tor_source_invalid') yield { source: f.source, refused: err };
      else throw err;
    }
  }
}
