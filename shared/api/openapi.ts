/** The OpenAPI 3.1 document of the API, with request schemas generated from the zod schemas that validate them. */
import { z } from 'zod';
import { API_ERROR_CODES } from './api-errors.js';
import { checksBodySchema, ipQuerySchema, sqlBodySchema } from './api-schemas.js';
import { summariesQuerySchema } from './summaries-read.js';

const schema = (s: z.ZodType) => {
  const j = z.toJSONSchema(s, { io: 'input' }) as Record<string, unknown>;
  delete j.$schema;
  return j;
};

const errorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message', 'field'],
      properties: { code: { enum: Object.keys(API_ERROR_CODES) }, message: { type: 'string' }, field: { type: ['string', 'null'], description: 'the request field that is wrong, dotted (body.items.3.time)' } },
    },
  },
};

const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: Object.entries(API_ERROR_CODES).filter(([, s]) => s === c).map(([k]) => k).join(', '), content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]));

export function openApiDocument(maxBatch: number): Record<string, unknown> {
  const ipQuery = schema(ipQuerySchema) as { properties: Record<string, unknown>; required?: string[] };
  const sumQuery = schema(summariesQuerySchema) as typeof ipQuery;
  return {
    openapi: '3.1.0',
    info: {
      title: 'torlogs API',
      version: '1',
      description: 'Retrospective Tor-exit checks for abuse teams and analysts. `exit` means the address was a Tor exit at the time: traffic from it may have been relayed for someone else, so the address owner is not its origin. `unknown` means Tor data is missing around the time; it is never a "no".',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key from `torlogs api-key create` (roles analyst, isp); also accepted as X-API-Key' } },
      schemas: { Error: errorSchema, ChecksRequest: schema(checksBodySchema(maxBatch)), SqlRequest: schema(sqlBodySchema) },
    },
    security: [{ apiKey: [] }],
    paths: {
      '/v1/checks': {
        post: {
          summary: `Check up to ${maxBatch} (ip, time, site?) items: Tor verdict with evidence, geo/ASN at the time, activity in the window`,
          'x-roles': ['isp', 'analyst'],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ChecksRequest' } } } },
          responses: { 200: { description: '{ count, windowSeconds, results: [{ ip, at, site, verdict, summary, evidence, geo, asn, activity }] }' }, ...errors(400, 401, 403, 413, 415, 429) },
        },
      },
      '/v1/ips/{ip}': {
        get: {
          summary: 'One IP over a time range (at most 31 days): Tor exit intervals, verdicts, requests by verdict, activity',
          'x-roles': ['isp', 'analyst'],
          parameters: [
            { name: 'ip', in: 'path', required: true, schema: { type: 'string' } },
            ...Object.entries(ipQuery.properties).map(([name, s]) => ({ name, in: 'query', required: ipQuery.required?.includes(name) ?? false, schema: s })),
          ],
          responses: { 200: { description: '{ ip, from, to, site, torIntervals, verdicts, requestsByVerdict, geo, activity }' }, ...errors(400, 401, 403, 429) },
        },
      },
      '/v1/tor/status': {
        get: { summary: 'Tor history: coverage, gaps, last sync per source, counts, policy', 'x-roles': ['isp', 'analyst'], responses: { 200: { description: 'status' }, ...errors(401, 403, 429) } },
      },
      '/v1/summaries/{grain}': {
        get: {
          summary: 'Hourly or daily rollups in force for a site (* = all): per window and dimension the biggest keys (docs/summaries.md)',
          'x-roles': ['isp', 'analyst'],
          parameters: [
            { name: 'grain', in: 'path', required: true, schema: { enum: ['hour', 'day'] } },
            ...Object.entries(sumQuery.properties).map(([name, s]) => ({ name, in: 'query', required: sumQuery.required?.includes(name) ?? false, schema: s })),
          ],
          responses: { 200: { description: '{ grain, site, from, to, windows: [{ start, dims: { dim: [{ key, requests, bytes, uniqueIps }] } }] }' }, ...errors(400, 401, 403, 429) },
        },
      },
      '/v1/sql': {
        post: {
          summary: 'One read-only SQL statement on the torlogs tables and views (docs/analyst-guide.md); row and time limits apply',
          'x-roles': ['analyst'],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SqlRequest' } } } },
          responses: { 200: { description: 'the result in the requested format' }, ...errors(400, 401, 403, 413, 429) },
        },
      },
      '/openapi.json': { get: { summary: 'this document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } } },
    },
  };
}
