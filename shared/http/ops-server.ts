/**
 * Operations endpoints: /metrics (Prometheus), /healthz (alive + component details), /readyz (every component
 * ready). Components register a health function; the API registers its routes on the same fastify instance.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

export interface ComponentHealth {
  ok: boolean;
  detail?: string;
}

export type HealthCheck = () => ComponentHealth | Promise<ComponentHealth>;

export interface OpsServer {
  app: FastifyInstance;
  addHealth(name: string, check: HealthCheck): void;
  listen(host: string, port: number): Promise<string>;
  close(): Promise<void>;
}

export function createOpsServer(metrics: Metrics, logger: Logger): OpsServer {
  // request logs are info-level: the http child logs warnings and errors only
  const app = Fastify({ loggerInstance: logger.child({ component: 'http' }, { level: 'warn' }) as unknown as FastifyBaseLogger, bodyLimit: 8 * 1024 * 1024 }) as unknown as FastifyInstance;
  const checks = new Map<string, HealthCheck>();

  async function evaluate(): Promise<{ ok: boolean; components: Record<string, ComponentHealth> }> {
    const components: Record<string, ComponentHealth> = {};
    for (const [name, check] of checks) {
      try {
        components[name] = await check();
      } catch (err) {
        components[name] = { ok: false, detail: (err as Error).message };
      }
    }
    return { ok: Object.values(components).every((c) => c.ok), components };
  }

  app.get('/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.render()));
  app.get('/healthz', async (_req, reply) => {
    const h = await evaluate();
    return reply.code(200).send({ status: h.ok ? 'ok' : 'degraded', ...h });
  });
  app.get('/readyz', async (_req, reply) => {
    const h = await evaluate();
    return reply.code(h.ok ? 200 : 503).send({ status: h.ok ? 'ready' : 'not_ready', ...h });
  });

  return {
    app,
    addHealth: (name, check) => checks.set(name, check),
    async listen(host, port) {
      return app.listen({ host, port });
    },
    close: () => app.close(),
  };
}
