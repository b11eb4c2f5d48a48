/**
 * Request shapes of the API as zod schemas: the same objects validate requests (strict: unknown fields are
 * refused) and become the JSON Schemas of /openapi.json (additionalProperties: false). Semantic checks (is it an
 * IP, a time with an offset) follow in the handlers with the same field names.
 */
import { z } from 'zod';
import { MAX_SITE_LENGTH } from '../checks/check-item.js';
import { SQL_FORMATS } from './sql-guard.js';

const time = z.union([z.string().max(64), z.number()]).describe('ISO 8601 with offset or Z, RFC 2822, CLF with zone, or epoch seconds/ms');

export const checkItemSchema = z.strictObject({
  ip: z.string().max(64).describe('IPv4 or IPv6 address (IPv4-mapped IPv6 is the IPv4 address)'),
  time,
  site: z.string().max(MAX_SITE_LENGTH).optional().describe('only requests to this site count as activity'),
});

export const checksBodySchema = (maxItems: number) =>
  z.strictObject({
    items: z.array(checkItemSchema).min(1).max(maxItems),
    window: z.string().max(16).optional().describe('activity window around each time: 30m, 1h (default), 2d, or seconds'),
    evidence: z.enum(['compact', 'full']).optional().describe('compact (default): per item the 5 observations nearest to the time (observationsTotal counts all), the policy once at the top; full: up to 50 and the policy per item'),
  });

export const ipParamsSchema = z.strictObject({ ip: z.string().max(64) });

export const ipQuerySchema = z.strictObject({
  from: z.string().max(64).describe('start of the range (time with offset, or epoch)'),
  to: z.string().max(64).describe('end of the range, at most 31 days after from'),
  site: z.string().max(MAX_SITE_LENGTH).optional(),
});

export const emptyQuerySchema = z.strictObject({});

export const sqlBodySchema = z.strictObject({
  query: z.string().min(1).max(100_000).describe('one read-only statement (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN, EXISTS)'),
  format: z.enum(SQL_FORMATS).optional().describe('ClickHouse output format (default TSVWithNames)'),
});

export type ChecksBody = z.infer<ReturnType<typeof checksBodySchema>>;
export type IpQuery = z.infer<typeof ipQuerySchema>;
export type SqlBody = z.infer<typeof sqlBodySchema>;
