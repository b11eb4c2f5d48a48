/**
 * API keys: `tlk_<id>_<secret>` (id 12 hex, secret 160 random bits, base64url). Only the sha256 of the whole key is
 * stored (a slow hash adds nothing for 160-bit random secrets, and a check must stay cheap). The table keeps events
 * (created, revoked); a key's state is its latest event. Lookups are cached for a few seconds so a revocation
 * takes effect within `cacheMs` without a query per request.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TorlogsError } from '../core/errors.js';
import { tsvDateTime64, tsvEscape } from '../ingest/tsv.js';
import type { ClickHouseStore } from '../store/store.js';
import { iso } from '../tor/tor-time.js';

export const API_ROLES = ['analyst', 'isp'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: ApiRole;
  createdAt: string;
  revokedAt: string | null;
}

const KEY = /^tlk_([0-9a-f]{12})_([A-Za-z0-9_-]{27})$/;
const COLUMNS = ['key_id', 'name', 'role', 'key_hash', 'event', 'at'];

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export function isApiRole(r: string): r is ApiRole {
  return (API_ROLES as readonly string[]).includes(r);
}

export async function createApiKey(store: ClickHouseStore, name: string, role: string, nowMs = Date.now()): Promise<{ key: string; info: ApiKeyInfo }> {
  if (!isApiRole(role)) throw new TorlogsError('usage_invalid', `--role must be one of ${API_ROLES.join(', ')} (got ${JSON.stringify(role)})`);
  if (name.trim() === '' || name.length > 200) throw new TorlogsError('usage_invalid', '--name must be 1..200 characters');
  const id = randomBytes(6).toString('hex');
  const key = `tlk_${id}_${randomBytes(20).toString('base64url')}`;
  const row = [id, tsvEscape(name), role, hashKey(key), 'created', tsvDateTime64(nowMs)].join('\t');
  await store.insert({ table: 'api_keys', columns: COLUMNS, format: 'TabSeparated', data: `${row}\n` });
  return { key, info: { id, name, role, createdAt: iso(nowMs), revokedAt: null } };
}

interface Row {
  key_id: string;
  name: string;
  role: string;
  key_hash: string;
  revoked_ms: string | number;
  created_ms: string | number;
}

const STATE = `SELECT key_id, argMinIf(name, at, event = 'created') AS name, argMinIf(role, at, event = 'created') AS role,
    argMinIf(key_hash, at, event = 'created') AS key_hash, toUnixTimestamp64Milli(minIf(at, event = 'created')) AS created_ms,
    toUnixTimestamp64Milli(minIf(at, event = 'revoked')) AS revoked_ms
FROM \${DB}.api_keys`;

const info = (r: Row): ApiKeyInfo => ({
  id: r.key_id, name: r.name, role: r.role as ApiRole, createdAt: iso(Number(r.created_ms)), revokedAt: Number(r.revoked_ms) > 0 ? iso(Number(r.revoked_ms)) : null,
});

export async function listApiKeys(store: ClickHouseStore): Promise<ApiKeyInfo[]> {
  const rows = await store.query<Row>(`${STATE} GROUP BY key_id HAVING created_ms > 0 ORDER BY created_ms, key_id`, { readonly: true });
  return rows.map(info);
}

/** false when there is no such key; revoking twice is harmless */
export async function revokeApiKey(store: ClickHouseStore, id: string, nowMs = Date.now()): Promise<boolean> {
  const known = (await listApiKeys(store)).some((k) => k.id === id);
  if (!known) return false;
  await store.insert({ table: 'api_keys', columns: COLUMNS, format: 'TabSeparated', data: `${[id, '', '', '', 'revoked', tsvDateTime64(nowMs)].join('\t')}\n` });
  return true;
}

export interface KeyVerifier {
  /** the key's info when it is valid and not revoked, else null */
  verify(key: string): Promise<ApiKeyInfo | null>;
}

export function createKeyVerifier(store: ClickHouseStore, cacheMs = 5000): KeyVerifier {
  const cache = new Map<string, { at: number; info: ApiKeyInfo | null }>();
  return {
    async verify(key) {
      const m = KEY.exec(key);
      if (!m) return null;
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && now - hit.at < cacheMs) return hit.info;
      const rows = await store.query<Row>(`${STATE} WHERE key_id = {id:String} GROUP BY key_id`, { params: { id: m[1] }, readonly: true });
      const r = rows[0];
      let found: ApiKeyInfo | null = null;
      if (r && Number(r.created_ms) > 0 && Number(r.revoked_ms) === 0 && isApiRole(r.role)) {
        const a = Buffer.from(r.key_hash, 'hex');
        const b = Buffer.from(hashKey(key), 'hex');
        if (a.length === b.length && timingSafeEqual(a, b)) found = info(r);
      }
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { at: now, info: found });
      return found;
    },
  };
}
