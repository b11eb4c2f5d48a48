/** The verdict policy in force is stored (tor_policy) so the SQL twin and every process use the same margin. */
import type { Config } from '../config/load-config.js';
import { DEFAULT_TOR_POLICY, type TorPolicy } from '../tor/tor-policy.js';
import type { ClickHouseStore } from '../store/store.js';

export async function readTorPolicy(store: ClickHouseStore): Promise<TorPolicy> {
  const rows = await store.query<{ m: number; s: number }>('SELECT argMax(margin_s, updated_at) AS m, argMax(slack_s, updated_at) AS s FROM ${DB}.tor_policy');
  const r = rows[0];
  if (!r || (r.m === 0 && r.s === 0)) return DEFAULT_TOR_POLICY;
  return { ...DEFAULT_TOR_POLICY, marginMs: Number(r.m) * 1000, coverageSlackMs: Number(r.s) * 1000 };
}

/** writes the configured margin when it differs from the stored one, and reloads the verdict dictionaries */
export async function syncTorPolicy(store: ClickHouseStore, cfg: Config): Promise<boolean> {
  const cur = await readTorPolicy(store);
  const marginS = cfg.torMarginMinutes * 60;
  if (cur.marginMs === marginS * 1000) return false;
  await store.command('INSERT INTO ${DB}.tor_policy (margin_s, slack_s, updated_at) VALUES ({m:UInt32}, {s:UInt32}, now64(3))', { params: { m: marginS, s: cur.coverageSlackMs / 1000 } });
  await reloadVerdictDictionaries(store);
  return true;
}

export async function reloadVerdictDictionaries(store: ClickHouseStore): Promise<void> {
  for (const d of ['tor_exit_dict', 'tor_near_dict', 'tor_coverage_dict']) await store.command(`SYSTEM RELOAD DICTIONARY \${DB}.${d}`);
}
