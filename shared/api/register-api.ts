/**
 * The HTTP API on the ops server's fastify instance (`registerApiRoutes(ops.app, deps)`):
 *   POST /v1/checks        isp, analyst   batch of (ip, time, site?) → verdict, evidence, geo, activity
 *   GET  /v1/ips/{ip}      isp, analyst   one IP over a range: Tor intervals, verdicts, activity
 *   GET  /v1/tor/status    isp, analyst   coverage, last sync, counts
 *   GET  /v1/summaries/{grain}  isp, analyst   hourly/daily rollups in force for a site (docs/summaries.md)
 *   POST /v1/sql           analyst        one read-only query (what `torlogs sql` uses in embedded mode)
 *   GET  /openapi.json     anyone         the OpenAPI 3.1 document
 * Every input is validated (strict schemas, then IP/time/site parsing); values reach SQL only as parameters.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Config } from '../config/load-config.js';
import { TorlogsError } from '../core/errors.js';
import { parseCheckItem, parseIpField, parseSiteField, parseTimeField } from '../checks/check-item.js';
import { parseDuration } from '../checks/check-time.js';
import { openCheckGeo, type GeoLookup } from '../checks/check-geo.js';
import { ipReport, MAX_RANGE_MS } from '../checks/ip-report.js';
import { MAX_WINDOW_MS, runChecks, DEFAULT_WINDOW_MS } from '../checks/run-checks.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ClickHouseStore } from '../store/store.js';
import { policySummary } from '../tor/tor-policy.js';
import { readTorPolicy } from '../tor-store/tor-policy-store.js';
import { torStatus } from '../tor-store/tor-status.js';
import { createAuthorizer } from './api-auth.js';
import { ApiError, fromFastify, fromZod, invalid } from './api-errors.js';
import { createKeyVerifier, type KeyVerifier } from './api-keys.js';
import { checksBodySchema, emptyQuerySchema, ipParamsSchema, ipQuerySchema, sqlBodySchema } from './api-schemas.js';
import { openApiDocument } from './openapi.js';
import { createRateLimiter } from './rate-limit.js';
import { runAnalystSql } from './sql-runner.js';
import { MAX_SUMMARY_RANGE_MS, readSummaries, summariesParamsSchema, summariesQuerySchema } from './summaries-read.js';

export interface ApiDeps {
  store: ClickHouseStore;
  config: Config;
  logger: Logger;
  metrics?: Metrics;
  /** undefined: the configured MaxMind databases (closed with the app); null: none */
  geo?: GeoLookup | null;
  /** default: keys in the store's api_keys table */
  keys?: KeyVerifier;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw fromZod(r.error, prefix, value);
  return r.data;
}

const CONTENT_TYPES: Record<string, string> = { JSON: 'application/json', JSONEachRow: 'application/x-ndjson', JSONCompact: 'application/json', CSV: 'text/csv', CSVWithNames: 'text/csv' };

export function registerApiRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store, config } = deps;
  const log = deps.logger.child({ component: 'api' });
  const auth = createAuthorizer(deps.keys ?? createKeyVerifier(store), createRateLimiter(config.apiRateLimitPerMinute));
  const checksSchema = checksBodySchema(config.apiMaxBatch);
  let geo = deps.geo;
  if (geo === undefined) {
    const opened = openCheckGeo(config);
    if (opened) app.addHook('onClose', async () => opened.close());
    geo = opened;
  }

  const onError = (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    let e: ApiError;
    if (err instanceof ApiError) e = err;
    else if (err instanceof TorlogsError && (err.code === 'clickhouse_unavailable' || err.code === 'timeout')) e = new ApiError('unavailable', `store unavailable: ${err.message}`);
    else e = fromFastify(err as { statusCode?: number; code?: string; message: string });
    if (e.status >= 500) log.error({ err: (err as Error).message, url: req.url }, 'API request failed');
    return reply.code(e.status).headers(e.headers).send(e.body());
  };

  app.register(
    async (v1) => {
      v1.setErrorHandler(onError);
      v1.removeContentTypeParser('text/plain'); // JSON only: anything else is 415
      v1.setNotFoundHandler((req, reply) => onError(new ApiError('not_found', `no route ${req.method} ${req.url.split('?')[0]} (see /openapi.json)`), req, reply));
      v1.addHook('onResponse', async (req, reply) => {
        deps.metrics?.inc('api_requests_total', { route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) });
      });

      v1.post('/checks', { bodyLimit: config.apiBodyLimitBytes }, async (req) => {
        await auth.authorize(req, ['isp', 'analyst']);
        parse(emptyQuerySchema, req.query, 'query');
        const body = parse(checksSchema, req.body, 'body');
        const windowMs = body.window === undefined ? DEFAULT_WINDOW_MS : parseDuration(body.window);
        if (windowMs === null || windowMs > MAX_WINDOW_MS) throw new ApiError('invalid_request', `body.window: ${JSON.stringify(body.window)} is not a duration up to 31d (30m, 1h, 2d, or seconds)`, 'body.window');
        const items = body.items.map((raw, i) => {
          const r = parseCheckItem(raw, `body.items.${i}.`);
          if (!r.ok) throw invalid(r.error);
          return r.item;
        });
        const evidence = body.evidence ?? 'compact';
        const policy = await readTorPolicy(store);
        const results = await runChecks({ store, geo, policy }, items, { windowMs, evidence });
        return { count: results.length, windowSeconds: windowMs / 1000, policy: evidence === 'compact' ? policySummary(policy) : undefined, results };
      });

      v1.get('/ips/:ip', async (req) => {
        await auth.authorize(req, ['isp', 'analyst']);
        const params = parse(ipParamsSchema, req.params, 'path');
        const q = parse(ipQuerySchema, req.query, 'query');
        const ip = parseIpField(params.ip, 'path.ip');
        if (!ip.ok) throw invalid(ip.error);
        const from = parseTimeField(q.from, 'query.from');
        if (!from.ok) throw invalid(from.error);
        const to = parseTimeField(q.to, 'query.to');
        if (!to.ok) throw invalid(to.error);
        const site = parseSiteField(q.site, 'query.site');
        if (!site.ok) throw invalid(site.error);
        if (to.ms < from.ms) throw new ApiError('invalid_request', 'query.to: must not be before query.from', 'query.to');
        if (to.ms - from.ms > MAX_RANGE_MS) throw new ApiError('invalid_request', 'query.to: the range may span at most 31 days', 'query.to');
        return ipReport({ store, geo }, ip.ip, from.ms, to.ms, site.site);
      });

      v1.get('/tor/status', async (req) => {
        await auth.authorize(req, ['isp', 'analyst']);
        parse(emptyQuerySchema, req.query, 'query');
        return torStatus(store);
      });

      v1.get('/summaries/:grain', async (req) => {
        await auth.authorize(req, ['isp', 'analyst']);
        const { grain } = parse(summariesParamsSchema, req.params, 'path');
        const q = parse(summariesQuerySchema, req.query, 'query');
        const from = parseTimeField(q.from, 'query.from');
        if (!from.ok) throw invalid(from.error);
        const to = parseTimeField(q.to, 'query.to');
        if (!to.ok) throw invalid(to.error);
        if (to.ms <= from.ms) throw new ApiError('invalid_request', 'query.to: must be after query.from', 'query.to');
        if (to.ms - from.ms > MAX_SUMMARY_RANGE_MS[grain]) throw new ApiError('invalid_request', `query.to: at most ${MAX_SUMMARY_RANGE_MS[grain] / 86_400_000} days of ${grain} windows`, 'query.to');
        const site = q.site === undefined || q.site === '*' ? { ok: true as const, site: '*' } : parseSiteField(q.site, 'query.site');
        if (!site.ok) throw invalid(site.error);
        const windows = await readSummaries(store, { grain, fromMs: from.ms, toMs: to.ms, site: site.site ?? '*', dim: q.dim, limit: q.limit ?? 20 });
        return { grain, site: site.site ?? '*', from: new Date(from.ms).toISOString(), to: new Date(to.ms).toISOString(), windows };
      });

      v1.post('/sql', { bodyLimit: 1024 * 1024 }, async (req, reply) => {
        await auth.authorize(req, ['analyst']);
        const body = parse(sqlBodySchema, req.body, 'body');
        const format = body.format ?? 'TSVWithNames';
        let text: string;
        try {
          text = await runAnalystSql(store, body.query, format, { maxRows: config.sqlMaxRows, timeoutSeconds: config.sqlTimeoutSeconds });
        } catch (err) {
          if (err instanceof TorlogsError && (err.code === 'clickhouse_readonly_violation' || err.code === 'usage_invalid')) throw new ApiError('sql_refused', err.message, 'body.query');
          if (err instanceof TorlogsError && err.code === 'clickhouse_query_failed') throw new ApiError('sql_failed', err.message, 'body.query');
          throw err;
        }
        return reply.type(CONTENT_TYPES[format] ?? 'text/plain; charset=utf-8').send(text);
      });
    },
    { prefix: '/v1' },
  );

  app.get('/openapi.json', async () => openApiDocument(config.apiMaxBatch));
}
