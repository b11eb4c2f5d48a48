/**
 * API errors: one JSON shape, `{ "error": { "code", "message", "field" } }`, with a stable code per failure and the
 * request field that is wrong (dotted path: `items.3.time`, `query.from`, `body` for unparsable JSON).
 */
import type { z } from 'zod';
import type { FieldError } from '../checks/check-item.js';

export const API_ERROR_CODES = {
  invalid_request: 400,
  invalid_json: 400,
  sql_refused: 400,
  sql_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  body_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = API_ERROR_CODES[code];
  }

  body(): { error: { code: ApiErrorCode; message: string; field: string | null } } {
    return { error: { code: this.code, message: this.message, field: this.field } };
  }
}

export function invalid(e: FieldError): ApiError {
  return new ApiError('invalid_request', e.message, e.field);
}

/** the first zod issue as an ApiError naming the field (`prefix` says where the value came from: body, query) */
function absent(input: unknown, path: readonly PropertyKey[]): boolean {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !(k in (v as object))) return true;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v === undefined;
}

export function fromZod(err: z.ZodError, prefix: string, input?: unknown): ApiError {
  const issue = err.issues[0]!;
  const missing = absent(input, issue.path);
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path.map(String), ...keys.slice(0, 1)];
  const field = [prefix, ...path].filter((p) => p !== '').join('.') || prefix;
  let message: string;
  if (issue.code === 'unrecognized_keys') message = `unknown field ${field} (allowed fields are listed in /openapi.json)`;
  else if (missing && issue.path.length > 0) message = `${field}: missing`;
  else if (issue.code === 'invalid_type') message = `${field}: expected ${issue.expected}`;
  else if (issue.code === 'invalid_union') message = `${field}: expected a string or a number`;
  else if (issue.code === 'too_big') message = `${field}: at most ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`;
  else if (issue.code === 'too_small') message = `${field}: at least ${String(issue.minimum)}${issue.origin === 'array' ? ' item' : issue.origin === 'string' ? ' character' : ''}`;
  else message = `${field}: ${issue.message}`;
  return new ApiError('invalid_request', message, field);
}

/** fastify's own errors (body parser, size limit, content type) in the API's shape */
export function fromFastify(err: { statusCode?: number; code?: string; message: string }): ApiError {
  const code = err.code ?? '';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError('body_too_large', `request body too large: ${err.message}`, 'body');
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new ApiError('unsupported_media_type', 'send the body as application/json', 'content-type');
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new ApiError('invalid_json', 'the body is empty; send a JSON object', 'body');
  if (code.startsWith('FST_ERR_CTP') || err instanceof SyntaxError) return new ApiError('invalid_json', `the body is not valid JSON: ${err.message}`, 'body');
  if (err.statusCode === 404) return new ApiError('not_found', err.message);
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return new ApiError('invalid_request', err.message);
  return new ApiError('internal', 'internal error (logged)');
}
