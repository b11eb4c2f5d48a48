/**
 * The verdict policy in force is stored (tor_policy, migrations 005/006) so the SQL twin and every process use the
 * same margin, coverage window and per-kind gaps. The config sets the margin; the coverage window follows it
 * (docs/tor-verdicts.md: `not_exit` needs coverage of T ± margin).
 */
import type { Config } from '../config/load-config.js';
import { OBSERVATION_KINDS, type ObservationKind } from '../tor/tor-document.js';
import { DEFAULT_TOR_POLICY, torPolicy, type TorPolicy } from '../tor/tor-policy.js';
import type { ClickHouseStore } from '../store/store.js';

interface PolicyRow {
  m: number;
  s: number;
  g: Record<string, number>;
}

export async function readTorPolicy(store: ClickHouseStore): Promise<TorPolicy> {
  const rows = await store.query<PolicyRow>(
    'SELECT argMax(margin_s, updated_at) AS m, argMax(slack_s, updated_at) AS s, argMax(max_gap_s, updated_at) AS g FROM ${DB}.tor_policy',
  );
  const r = rows[0];
  if (!r || (Number(r.m) === 0 && Number(r.s) === 0)) return DEFAULT_TOR_POLICY;
  const maxGapMs: Partial<Record<ObservationKind, number>> = {};
  for (const k of OBSERVATION_KINDS) if (r.g?.[k] !== undefined) maxGapMs[k] = Number(r.g[k]) * 1000;
  return torPolicy({ marginMs: Number(r.m) * 1000, coverageSlackMs: Number(r.s) * 1000, maxGapMs });
}

/** writes the configured margin (and the coverage window with it) when it differs from the stored one */
export async function syncTorPolicy(store: ClickHouseStore, cfg: Config): Promise<boolean> {
  const cur = await readTorPolicy(store);
  const marginS = cfg.torMarginMinutes * 60;
  if (cur.marginMs === marginS * 1000 && cur.coverageSlackMs === marginS * 1000) return false;
  const gaps: Record<string, number> = {};
  for (const k of OBSERVATION_KINDS) gaps[k] = Math.round(cur.maxGapMs[k] / 1000);
  await store.command('INSERT INTO ${DB}.tor_policy (margin_s, slack_s, max_gap_s, updated_at) VALUES ({m:UInt32}, {m:UInt32}, {g:Map(String, UInt32)}, now64(3))', {
    params: { m: marginS, g: gaps },
  });
  await reloadVerdictDictionaries(store);
  return true;
}

/** the SQL verdict reads dictionaries (refreshed every 5–10 min by themselves): reload after the history changes */
export async function reloadVerdictDictionaries(store: ClickHouseStore): Promise<void> {
  for (const d of ['tor_exit_dict', 'tor_near_dict', 'tor_coverage_dict']) await store.command(`SYSTEM RELOAD DICTIONARY \${DB}.${d}`);
}
