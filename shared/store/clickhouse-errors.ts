/**
 * Maps ClickHouse failures (server HTTP responses of any version, chDB exceptions, socket errors) to TorlogsError
 * with the server's numeric code and name, and whether retrying can help.
 */
import { TorlogsError, type ErrorCode } from '../core/errors.js';

/** Server error codes that are transient: retry with backoff. */
const RETRIABLE_SERVER_CODES = new Set([
  3, // UNEXPECTED_END_OF_FILE (connection cut mid-body)
  159, // TIMEOUT_EXCEEDED
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  203, // NO_FREE_CONNECTION
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  241, // MEMORY_LIMIT_EXCEEDED
  242, // TABLE_IS_READ_ONLY
  252, // TOO_MANY_PARTS
  285, // TOO_FEW_LIVE_REPLICAS
  319, // UNKNOWN_STATUS_OF_INSERT
  425, // SYSTEM_ERROR
  999, // KEEPER_EXCEPTION
]);

/** Codes meaning the data itself is bad (a row the server refuses): bisect and dead-letter, never retry as-is. */
const DATA_ERROR_CODES = new Set([6, 26, 27, 32, 33, 38, 41, 53, 69, 70, 72, 117, 130, 131, 167, 321, 349, 354, 403, 441, 676]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'ECONNABORTED']);

export interface ServerErrorInfo {
  serverCode: number;
  serverType: string;
}

/** Extracts "Code: 60" and "(UNKNOWN_TABLE)" from any ClickHouse exception text (18.x and 2x.x formats). */
export function parseServerError(text: string): ServerErrorInfo | null {
  const m = /Code:\s*(\d+)/.exec(text);
  if (!m) return null;
  const t = /\(([A-Z][A-Z0-9_]{2,})\)(?:\s|\.|$)/.exec(text);
  return { serverCode: Number(m[1]), serverType: t?.[1] ?? '' };
}

export function isDataError(err: unknown): boolean {
  return err instanceof TorlogsError && DATA_ERROR_CODES.has(Number(err.details.serverCode));
}

export function toClickHouseError(err: unknown, code: ErrorCode, context: string): TorlogsError {
  if (err instanceof TorlogsError) return err;
  const e = err as { code?: unknown; message?: string; clickhouseCode?: unknown; cause?: { code?: unknown } };
  const message = e?.message ?? String(err);
  const sysCode = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  if (NETWORK_CODES.has(sysCode) || /socket hang up|ECONNREFUSED|ECONNRESET|Timeout error|other side closed/i.test(message)) {
    return new TorlogsError('clickhouse_unavailable', `${context}: ClickHouse unreachable (${sysCode || message})`, {
      retriable: true,
      cause: err,
      details: { system: sysCode },
    });
  }
  const info = parseServerError(message) ?? (typeof e?.clickhouseCode === 'number' ? { serverCode: e.clickhouseCode, serverType: '' } : null);
  if (info) {
    const finalCode: ErrorCode = info.serverCode === 164 ? 'clickhouse_readonly_violation' : code;
    return new TorlogsError(finalCode, `${context}: ClickHouse error ${info.serverCode}${info.serverType ? ` ${info.serverType}` : ''}: ${firstLine(message)}`, {
      retriable: RETRIABLE_SERVER_CODES.has(info.serverCode),
      cause: err,
      details: { serverCode: info.serverCode, serverType: info.serverType },
    });
  }
  return new TorlogsError(code, `${context}: ${firstLine(message)}`, { retriable: false, cause: err });
}

function firstLine(s: string): string {
  const clean = s.replace(/^Query failed:\s*/, '').trim();
  const i = clean.indexOf('\n');
  return (i < 0 ? clean : clean.slice(0, i)).slice(0, 500);
}
