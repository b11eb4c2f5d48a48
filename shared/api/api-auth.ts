/**
 * Who may call a route: an API key (`Authorization: Bearer tlk_…` or `X-API-Key: tlk_…`) that exists, is not
 * revoked and has one of the route's roles, within its rate limit. Missing/invalid key 401, wrong role 403,
 * over the limit 429 with Retry-After. The limit is taken only from authenticated keys, so a flood of bad keys
 * cannot use up a real key's budget.
 */
import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-errors.js';
import type { ApiKeyInfo, ApiRole, KeyVerifier } from './api-keys.js';
import type { RateLimiter } from './rate-limit.js';

export interface Authorizer {
  authorize(req: FastifyRequest, roles: readonly ApiRole[]): Promise<ApiKeyInfo>;
}

function presentedKey(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1]! : null;
  }
  const x = req.headers['x-api-key'];
  return typeof x === 'string' && x !== '' ? x.trim() : null;
}

export function createAuthorizer(keys: KeyVerifier, limiter: RateLimiter): Authorizer {
  return {
    async authorize(req, roles) {
      const key = presentedKey(req);
      if (key === null) throw new ApiError('unauthorized', 'an API key is required: Authorization: Bearer <key> (torlogs api-key create)', 'authorization', { 'www-authenticate': 'Bearer' });
      const info = await keys.verify(key);
      if (info === null) throw new ApiError('unauthorized', 'unknown or revoked API key', 'authorization', { 'www-authenticate': 'Bearer error="invalid_token"' });
      if (!roles.includes(info.role)) throw new ApiError('forbidden', `this route needs role ${roles.join(' or ')}; key ${info.id} has role ${info.role}`, 'authorization');
      const wait = limiter.take(info.id);
      if (wait !== null) throw new ApiError('rate_limited', `rate limit of key ${info.id} reached; retry after ${wait} s`, 'authorization', { 'retry-after': String(wait) });
      return info;
    },
  };
}
