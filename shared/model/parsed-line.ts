import type { RejectReason, Stage } from '../ingest/reason-codes.js';

/** One access-log line after parsing, before enrichment. Pure data; every field present (no undefined in the hot path). */
export interface ParsedLine {
  /** request time, epoch milliseconds UTC */
  tsMs: number;
  /** connecting address exactly as logged (may be `unix:`, `-`, an IPv6 literal ...) */
  remoteAddr: string;
  /** raw X-Forwarded-For header value ('' when not logged) */
  xForwardedFor: string;
  /** raw Forwarded (RFC 7239) header value ('' when not logged) */
  forwarded: string;
  /** raw X-Real-IP header value ('' when not logged) */
  xRealIp: string;
  /** virtual host / server name from the line ('' when the format has none) */
  vhost: string;
  method: string;
  /** request target (path and query) */
  path: string;
  protocol: string;
  status: number;
  /** response body bytes, 0 for `-` */
  bytes: number;
  referer: string;
  userAgent: string;
  /** request duration in ms, 0 when not logged */
  durationMs: number;
  /** remote user ('' for `-`) */
  user: string;
}

export interface Rejection {
  reason: RejectReason;
  stage: Stage;
  /** the field at fault, when one is ('timestamp', 'status', 'remote_addr' ...) */
  field: string;
  /** human-readable, actionable detail */
  detail: string;
}

export type StageResult<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

export function accept<T>(value: T): StageResult<T> {
  return { ok: true, value };
}

export function deadLetter(reason: RejectReason, stage: Stage, field: string, detail: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { reason, stage, field, detail } };
}
