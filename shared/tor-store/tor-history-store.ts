/**
 * The Tor history in ClickHouse (migration 004): append-only observations, coverage and imports. Writing a
 * document is idempotent (skipped when its source_id is recorded; insert tokens make a crash-retry a no-op).
 */
import type { ClickHouseStore } from '../store/store.js';
import { toIPv6Column } from '../net/ip.js';
import { tsvDateTime, tsvDateTime64, tsvEscape } from '../ingest/tsv.js';
import type { TorDocument } from '../tor/tor-document.js';

export interface ImportOutcome {
  sourceId: string;
  status: 'imported' | 'already_imported';
  observations: number;
  ips: number;
}

const OBS_COLUMNS = ['ip', 'observed_at', 'valid_from', 'valid_to', 'kind', 'source', 'source_id', 'fingerprint', 'published_at', 'last_status', 'bad_exit', 'downloaded_at', 'learned_at'];
const COV_COLUMNS = ['kind', 'family', 'source', 'source_id', 'covered_from', 'covered_to', 'learned_at'];
const IMP_COLUMNS = ['source_id', 'source', 'kind', 'observations', 'ips', 'rejected', 'covered_from', 'covered_to', 'via', 'imported_at'];

const sec = (ms: number) => Math.floor(ms / 1000);

export async function isImported(store: ClickHouseStore, sourceId: string): Promise<boolean> {
  const rows = await store.query<{ n: string }>('SELECT count() AS n FROM ${DB}.tor_imports WHERE source_id = {id:String}', { params: { id: sourceId } });
  return Number(rows[0]?.n ?? 0) > 0;
}

export async function writeTorDocument(store: ClickHouseStore, doc: TorDocument, via: 'import' | 'sync', nowMs = Date.now()): Promise<ImportOutcome> {
  const ips = new Set(doc.observations.map((o) => o.ip)).size;
  if (await isImported(store, doc.sourceId)) return { sourceId: doc.sourceId, status: 'already_imported', observations: doc.observations.length, ips };
  const learned = tsvDateTime64(nowMs);
  const src = tsvEscape(doc.source);
  const dl = tsvDateTime(sec(doc.downloadedAtMs));
  if (doc.observations.length > 0) {
    const rows = doc.observations.map(
      (o) => `${toIPv6Column(o.ip)}\t${tsvDateTime(sec(o.observedAtMs))}\t${tsvDateTime(sec(o.validFromMs))}\t${tsvDateTime(sec(o.validToMs))}\t${o.kind}\t${src}\t${doc.sourceId}\t${o.fingerprint}\t${tsvDateTime(sec(o.publishedAtMs))}\t${tsvDateTime(sec(o.lastStatusMs))}\t${o.badExit ? 1 : 0}\t${dl}\t${learned}\n`,
    );
    for (let i = 0; i < rows.length; i += 200_000) {
      await store.insert({ table: 'tor_observations', columns: OBS_COLUMNS, format: 'TabSeparated', data: rows.slice(i, i + 200_000).join(''), dedupToken: `tor-obs:${doc.sourceId}:${i}` });
    }
  }
  if (doc.coverage.length > 0) {
    const rows = doc.coverage.map((c) => `${c.kind}\t${c.family}\t${src}\t${doc.sourceId}\t${tsvDateTime(sec(c.fromMs))}\t${tsvDateTime(sec(c.toMs))}\t${learned}\n`);
    await store.insert({ table: 'tor_coverage', columns: COV_COLUMNS, format: 'TabSeparated', data: rows.join(''), dedupToken: `tor-cov:${doc.sourceId}` });
  }
  const from = Math.min(...doc.coverage.map((c) => c.fromMs), doc.downloadedAtMs);
  const to = Math.max(...doc.coverage.map((c) => c.toMs), doc.downloadedAtMs);
  const imp = `${doc.sourceId}\t${src}\t${doc.kind}\t${doc.observations.length}\t${ips}\t${doc.rejects.length}\t${tsvDateTime(sec(from))}\t${tsvDateTime(sec(to))}\t${via}\t${learned}\n`;
  await store.insert({ table: 'tor_imports', columns: IMP_COLUMNS, format: 'TabSeparated', data: imp, dedupToken: `tor-imp:${doc.sourceId}` });
  return { sourceId: doc.sourceId, status: 'imported', observations: doc.observations.length, ips };
}

/** The history version: ms epoch of the newest import (0 when empty). Workers poll it to learn about new history. */
export async function historyVersion(store: ClickHouseStore): Promise<number> {
  const rows = await store.query<{ v: string }>('SELECT toString(toUnixTimestamp64Milli(max(imported_at))) AS v FROM ${DB}.tor_imports');
  return Number(rows[0]?.v ?? 0);
}
