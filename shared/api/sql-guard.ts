/**
 * Analysts' SQL is read-only. The read-only session (embedded: `readonly=2`; server: a read-only user and
 * `readonly=2`) is what enforces it; this guard answers first with a clear message, and also refuses what a
 * read-only session would still allow but an analyst endpoint must not: several statements, writing result files,
 * table functions that reach files, URLs or other servers.
 */
import { TorlogsError } from '../core/errors.js';

const READ_STATEMENTS = ['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'EXISTS'];
const EXTERNAL = /\b(file|url|urlCluster|s3|s3Cluster|gcs|azureBlobStorage|hdfs|remote|remoteSecure|cluster|clusterAllReplicas|mysql|postgresql|mongodb|redis|sqlite|jdbc|odbc|executable|input|iceberg|deltaLake|hudi|fileCluster|python)\s*\(/i;

export const SQL_FORMATS = ['JSON', 'JSONEachRow', 'JSONCompact', 'CSV', 'CSVWithNames', 'TSV', 'TSVWithNames', 'TabSeparated', 'TabSeparatedWithNames', 'Pretty', 'PrettyCompact', 'Markdown', 'Vertical'] as const;
export type SqlFormat = (typeof SQL_FORMATS)[number];

/** SQL text with comments removed and string literals / quoted identifiers blanked (for keyword checks only) */
function skeleton(sql: string): string {
  return sql
    .replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''")
    .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
}

/** the query without a trailing `;`, or throws TorlogsError('clickhouse_readonly_violation') saying why it is refused */
export function assertReadOnlySql(sql: string): string {
  const text = sql.trim().replace(/;\s*$/, '');
  const sk = skeleton(text).trim();
  if (sk === '') throw new TorlogsError('usage_invalid', 'empty query');
  const first = /^\(*\s*([A-Za-z]+)/.exec(sk)?.[1]?.toUpperCase() ?? '';
  if (!READ_STATEMENTS.includes(first)) {
    throw new TorlogsError('clickhouse_readonly_violation', `torlogs sql is read-only: ${first || 'this'} statements are refused (writes and schema changes go through torlogs commands and migrations); allowed: ${READ_STATEMENTS.join(', ')}`, { details: { statement: first } });
  }
  if (sk.includes(';')) throw new TorlogsError('clickhouse_readonly_violation', 'one statement per query: remove the ";" in the middle');
  if (/\bINTO\s+OUTFILE\b/i.test(sk)) throw new TorlogsError('clickhouse_readonly_violation', 'INTO OUTFILE is refused: results go to stdout');
  const ext = EXTERNAL.exec(sk);
  if (ext) throw new TorlogsError('clickhouse_readonly_violation', `table function ${ext[1]}() is refused: analysts' SQL reads the torlogs tables only`);
  if (/\bFORMAT\s+[A-Za-z]+\s*$/i.test(sk)) throw new TorlogsError('usage_invalid', 'give the output format with --format (or "format" in the API), not a FORMAT clause');
  if (/\bSETTINGS\b/i.test(sk)) throw new TorlogsError('clickhouse_readonly_violation', 'SETTINGS clauses are refused: limits are set by torlogs');
  return text;
}
