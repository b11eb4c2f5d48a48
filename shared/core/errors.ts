/**
 * Typed errors: a stable `code` (snake_case, closed list), a `retriable` flag and a `cause`.
 * Bad *data* never throws (stages return dead-letter results); only infrastructure and usage failures do.
 */
export const ERROR_CODES = [
  'config_invalid',
  'usage_invalid',
  'clickhouse_unavailable',
  'clickhouse_query_failed',
  'clickhouse_insert_failed',
  'clickhouse_readonly_violation',
  'migration_failed',
  'kafka_unavailable',
  'kafka_produce_failed',
  'kafka_commit_failed',
  'geo_db_invalid',
  'tor_source_invalid',
  'tor_fetch_failed',
  'io_failed',
  'timeout',
  'shutdown',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface TorlogsErrorOptions {
  retriable?: boolean;
  cause?: unknown;
  /** extra machine-readable detail (server error code, file, line, field ...) */
  details?: Record<string, unknown>;
}

export class TorlogsError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, opts: TorlogsErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TorlogsError';
    this.code = code;
    this.retriable = opts.retriable ?? false;
    this.details = opts.details ?? {};
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, retriable: this.retriable, ...this.details };
  }
}

export function isRetriable(err: unknown): boolean {
  return err instanceof TorlogsError && err.retriable;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
