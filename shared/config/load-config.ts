/**
 * loadConfig(env): the only place that reads configuration. Validates every TORLOGS_* variable with zod
 * and throws ONE error naming every bad variable. Unknown TORLOGS_* variables are errors too (typos).
 */
import { readFileSync } from 'node:fs';
import cron from 'node-cron';
import type { z } from 'zod';
import { TorlogsError } from '../core/errors.js';
import { VARS, type VarKey } from './vars.js';

type Out<K extends VarKey> = z.output<(typeof VARS)[K]['schema']>;
export type Config = { [K in VarKey]: Out<K> } & { storeMode: 'embedded' | 'server' };

const KNOWN_ENV = new Set(Object.values(VARS).map((d) => d.env));
/** TORLOGS_TEST_* variables belong to the test harness, not to the application. */
const IGNORED_PREFIX = 'TORLOGS_TEST_';

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const merged: Record<string, string | undefined> = { ...readConfigFile(env, problems), ...pickEnv(env) };

  for (const name of Object.keys(env)) {
    if (name.startsWith('TORLOGS_') && !name.startsWith(IGNORED_PREFIX) && !KNOWN_ENV.has(name)) {
      problems.push(`${name}: unknown variable (see README "Configuration")`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(VARS)) {
    const raw = merged[def.env];
    const value = raw === '' && def.def === undefined ? undefined : raw;
    const r = def.schema.safeParse(value);
    if (r.success) out[key] = r.data;
    else problems.push(`${def.env}=${JSON.stringify(raw)}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  }
  const cfg = out as Config;
  if (problems.length === 0) crossCheck(cfg, problems);
  if (problems.length > 0) {
    throw new TorlogsError('config_invalid', `invalid configuration:\n  ${problems.join('\n  ')}`, {
      details: { variables: problems.map((p) => p.split(/[=:]/, 1)[0]) },
    });
  }
  cfg.storeMode = cfg.clickhouseUrl ? 'server' : 'embedded';
  return cfg;
}

function pickEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of KNOWN_ENV) if (env[name] !== undefined) out[name] = env[name];
  return out;
}

function readConfigFile(env: Record<string, string | undefined>, problems: string[]): Record<string, string> {
  const path = env.TORLOGS_CONFIG_FILE;
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`TORLOGS_CONFIG_FILE=${JSON.stringify(path)}: cannot read JSON (${(err as Error).message})`);
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`TORLOGS_CONFIG_FILE=${JSON.stringify(path)}: must hold a JSON object of TORLOGS_* keys`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(parsed)) {
    if (!KNOWN_ENV.has(k)) problems.push(`${k} (in ${path}): unknown variable`);
    else out[k] = Array.isArray(val) ? val.join(',') : String(val);
  }
  return out;
}

function crossCheck(cfg: Config, problems: string[]): void {
  for (const entry of cfg.kafkaTopicSites) {
    if (!/^[^=\s]+=[^=\s]+$/.test(entry)) problems.push(`TORLOGS_KAFKA_TOPIC_SITES: "${entry}" must be topic=site`);
  }
  for (const entry of cfg.torSources) {
    const m = /^(tordnsel|bulk|onionoo|consensus)=(https?:\/\/\S+)$/.exec(entry);
    if (!m) problems.push(`TORLOGS_TOR_SOURCES: "${entry}" must be kind=http(s)://url with kind tordnsel, bulk, onionoo or consensus`);
  }
  for (const [name, expr] of [['TORLOGS_TOR_SYNC_CRON', cfg.torSyncCron], ['TORLOGS_SUMMARY_HOURLY_CRON', cfg.summaryHourlyCron], ['TORLOGS_SUMMARY_DAILY_CRON', cfg.summaryDailyCron]] as const) {
    if (!cron.validate(expr)) problems.push(`${name}: "${expr}" is not a valid cron expression`);
  }
  if (cfg.geoCityDb && cfg.geoCountryDb) problems.push('TORLOGS_GEO_COUNTRY_DB: set either TORLOGS_GEO_CITY_DB or TORLOGS_GEO_COUNTRY_DB, not both');
}

/** topic → default site map from TORLOGS_KAFKA_TOPIC_SITES */
export function topicSites(cfg: Config): Map<string, string> {
  return new Map(cfg.kafkaTopicSites.map((e) => e.split('=') as [string, string]));
}
