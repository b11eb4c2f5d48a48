/**
 * Imports Tor documents into the history store: parse (garbage refused), write (idempotent by content hash),
 * then reload the verdict dictionaries once. Returns a summary per source and the refused documents.
 */
import { readFileSync } from 'node:fs';
import { errorMessage, TorlogsError } from '../core/errors.js';
import type { ClickHouseStore } from '../store/store.js';
import type { DocumentKind } from '../tor/tor-document.js';
import { expandTorPaths } from '../tor/tor-files.js';
import { parseTorSource } from '../tor/parse-tor-source.js';
import { readTorPolicy, reloadVerdictDictionaries } from './tor-policy-store.js';
import { writeTorDocument } from './tor-history-store.js';

export interface ImportSummary {
  files: number;
  imported: number;
  alreadyImported: number;
  refused: Array<{ source: string; error: string }>;
  invalidLines: Array<{ source: string; line: number; reason: string }>;
  invalidLineCount: number;
  observations: number;
  byKind: Record<string, { documents: number; observations: number }>;
}

export interface ImportOptions {
  kind?: DocumentKind;
  observedAtMs?: number;
  onProgress?: (done: number, total: number) => void;
  onArchive?: (path: string) => void;
}

export async function importTorPaths(store: ClickHouseStore, paths: readonly string[], o: ImportOptions = {}): Promise<ImportSummary> {
  const policy = await readTorPolicy(store);
  const { files, cleanup } = await expandTorPaths(paths, o.onArchive);
  const s: ImportSummary = { files: files.length, imported: 0, alreadyImported: 0, refused: [], invalidLines: [], invalidLineCount: 0, observations: 0, byKind: {} };
  try {
    for (const [i, f] of files.entries()) {
      let doc;
      try {
        doc = parseTorSource({ text: readFileSync(f.path, 'utf8'), source: f.source, kind: o.kind, observedAtMs: o.observedAtMs }, policy);
      } catch (err) {
        if (!(err instanceof TorlogsError) || err.code !== 'tor_source_invalid') throw err;
        s.refused.push({ source: f.source, error: errorMessage(err) });
        continue;
      }
      const res = await writeTorDocument(store, doc, 'import');
      if (res.status === 'imported') {
        s.imported++;
        s.observations += res.observations;
        const k = (s.byKind[doc.kind] ??= { documents: 0, observations: 0 });
        k.documents++;
        k.observations += res.observations;
      } else s.alreadyImported++;
      s.invalidLineCount += doc.rejects.length;
      for (const r of doc.rejects.slice(0, 100 - s.invalidLines.length)) s.invalidLines.push({ source: f.source, line: r.line, reason: r.reason });
      o.onProgress?.(i + 1, files.length);
    }
  } finally {
    cleanup();
  }
  if (s.imported > 0) await reloadVerdictDictionaries(store);
  return s;
}
