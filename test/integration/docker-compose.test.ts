/**
 * docker-compose.yml, the Dockerfile and the ClickHouse users for users of torlogs. No container engine runs on our
 * machines, so this validates what can be validated without one: Debian's docker-compose (1.29) parses and
 * interpolates the file, the resolved services are wired as documented, every TORLOGS_* value passes the config
 * schema, and the ClickHouse users' grants and profile settings are checked by the ClickHouse engine (chDB).
 * The test fails — never skips — when docker-compose is missing (Debian package docker-compose).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { query as chdbQuery } from 'chdb';
import { VARS } from '../../shared/config/vars.js';
import { repoRoot } from '../helpers/cli.js';

interface ComposeService {
  image?: string;
  build?: string | { context: string };
  command?: string[] | string;
  container_name?: string;
  environment?: Record<string, string | null>;
  ports?: (string | { target: number; published?: number | string; host_ip?: string })[];
  volumes?: (string | { source?: string; target: string; read_only?: boolean })[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
}
interface Compose {
  services: Record<string, ComposeService>;
}

const TORLOGS_SERVICES = ['ingest', 'tor-sync', 'summaries', 'api'] as const;
const USERS_DIR = join(repoRoot, 'deploy', 'clickhouse', 'users.d');

function compose(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // interpolation must see the file's defaults, not whatever the developer exported
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TORLOGS_')) env[k] = v;
  const r = spawnSync('docker-compose', args, { cwd: repoRoot, encoding: 'utf8', env });
  assert.equal(r.error, undefined, `docker-compose could not run (${r.error?.message}): install the Debian package docker-compose (1.29); this test does not skip`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** YAML -> JSON with python3-yaml, a dependency of Debian's docker-compose (so present wherever it is) */
function yamlToJson<T>(yaml: string): T {
  const r = spawnSync('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: yaml, encoding: 'utf8' });
  assert.equal(r.status, 0, `python3 yaml: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** users.d XML -> users and profiles (python3's ElementTree: a real XML parser) */
interface UsersXml {
  users: Record<string, { passwordFromEnv: string | null; profile: string | null; grants: string[]; networks: string[] }>;
  profiles: Record<string, { settings: Record<string, string>; constraints: string[] }>;
}
function readUsersXml(files: string[]): UsersXml {
  const script = `
import sys, json, xml.etree.ElementTree as ET
out = {"users": {}, "profiles": {}}
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    assert root.tag == "clickhouse", path + ": root element must be <clickhouse>"
    for u in root.findall("./users/*"):
        pw = u.find("password")
        out["users"][u.tag] = {
            "passwordFromEnv": pw.get("from_env") if pw is not None else None,
            "profile": u.findtext("profile"),
            "grants": [q.text for q in u.findall("./grants/query")],
            "networks": [n.text for n in u.findall("./networks/*")],
        }
    for p in root.findall("./profiles/*"):
        out["profiles"][p.tag] = {
            "settings": {s.tag: s.text for s in p if s.tag != "constraints"},
            "constraints": [c.tag for c in p.findall("./constraints/*")],
        }
json.dump(out, sys.stdout)
`;
  const r = spawnSync('python3', ['-c', script, ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, `users.d XML: ${r.stderr}`);
  return JSON.parse(r.stdout) as UsersXml;
}

const env = (s: ComposeService) => s.environment ?? {};
const volumeTargets = (s: ComposeService) =>
  (s.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source ?? '', target: v.target, ro: v.read_only === true };
    const [source = '', target = '', mode = ''] = v.split(':');
    return { source, target, ro: mode.split(',').includes('ro') };
  });
const publishedPorts = (s: ComposeService) =>
  (s.ports ?? []).map((p) => {
    if (typeof p !== 'string') return { published: String(p.published ?? ''), target: String(p.target) };
    const parts = p.replace(/\/(tcp|udp)$/, '').split(':');
    return { published: parts.length > 1 ? parts[parts.length - 2]! : '', target: parts[parts.length - 1]! };
  });
const dependsOn = (s: ComposeService, name: string) => (Array.isArray(s.depends_on) ? undefined : s.depends_on?.[name]?.condition);

test('docker-compose config -q accepts docker-compose.yml and it defines the services', () => {
  const check = compose(['config', '-q']);
  assert.equal(check.status, 0, `docker-compose config -q:\n${check.stderr}`);
  const services = compose(['config', '--services']).stdout.trim().split('\n').sort();
  assert.deepEqual(services, ['api', 'clickhouse', 'ingest', 'kafka', 'kafka-topics', 'migrate', 'summaries', 'tor-sync']);
});

test('the resolved docker-compose config wires Kafka, ClickHouse, the migration and the torlogs services', () => {
  const r = compose(['config']);
  assert.equal(r.status, 0, r.stderr);
  const { services } = yamlToJson<Compose>(r.stdout);
  const get = (name: string) => {
    const s = services[name];
    assert.ok(s, `service ${name}`);
    return s;
  };

  // Kafka: KRaft single node from env, data on the volume, healthcheck; its topics created by a one-shot
  const kafka = get('kafka');
  assert.equal(kafka.image, 'apache/kafka:4.1.1');
  assert.equal(env(kafka).KAFKA_PROCESS_ROLES, 'broker,controller');
  assert.match(env(kafka).KAFKA_ADVERTISED_LISTENERS ?? '', /PLAINTEXT:\/\/kafka:9092/);
  assert.match(env(kafka).CLUSTER_ID ?? '', /^[A-Za-z0-9_-]{21}[AQgw]$/, 'CLUSTER_ID: 16 bytes, URL-safe base64 without padding');
  assert.ok(volumeTargets(kafka).some((v) => v.target === env(kafka).KAFKA_LOG_DIRS), 'KAFKA_LOG_DIRS is on a volume');
  assert.ok(kafka.healthcheck?.test, 'kafka healthcheck');
  const topics = get('kafka-topics');
  assert.equal(dependsOn(topics, 'kafka'), 'service_healthy');
  assert.match(JSON.stringify(topics.command), /--create --if-not-exists/);

  // ClickHouse 25.8 with every users.d file mounted one by one (the image writes its own default-user.xml there)
  const ch = get('clickhouse');
  assert.match(ch.image ?? '', /^clickhouse\/clickhouse-server:25\.\d+$/);
  assert.ok(ch.healthcheck?.test, 'clickhouse healthcheck');
  const mounted = volumeTargets(ch);
  for (const f of readdirSync(USERS_DIR).filter((n) => n.endsWith('.xml'))) {
    const m = mounted.find((v) => v.target === `/etc/clickhouse-server/users.d/${f}`);
    assert.ok(m && m.ro && basename(m.source) === f, `deploy/clickhouse/users.d/${f} mounted read-only`);
  }
  assert.ok(!mounted.some((v) => v.target.replace(/\/$/, '') === '/etc/clickhouse-server/users.d'), 'users.d itself is not a mount');

  // one-shot migration as the admin user, once ClickHouse is healthy
  const migrate = get('migrate');
  assert.deepEqual(migrate.command, ['node', 'bin/torlogs.mjs', 'migrate']);
  assert.equal(env(migrate).TORLOGS_CLICKHOUSE_USER, 'torlogs_admin');
  assert.equal(dependsOn(migrate, 'clickhouse'), 'service_healthy');

  for (const name of TORLOGS_SERVICES) {
    const s = get(name);
    const e = env(s);
    const context = typeof s.build === 'string' ? s.build : s.build?.context;
    assert.equal(context, repoRoot, `${name} is built from the repo's Dockerfile`);
    assert.deepEqual(s.command, ['node', 'bin/torlogs.mjs', 'serve', '--only', name]);
    assert.equal(e.TORLOGS_CLICKHOUSE_URL, 'http://clickhouse:8123');
    assert.equal(e.TORLOGS_KAFKA_BROKERS, 'kafka:9092');
    assert.equal(e.TORLOGS_GEO_CITY_DB, '/geo/GeoLite2-City.mmdb');
    assert.equal(e.TORLOGS_GEO_ASN_DB, '/geo/GeoLite2-ASN.mmdb');
    assert.ok(e.TORLOGS_CLICKHOUSE_USER && e.TORLOGS_CLICKHOUSE_PASSWORD, `${name}: ClickHouse user and password`);
    assert.equal(dependsOn(s, 'migrate'), 'service_completed_successfully', `${name} starts after the migration`);
    assert.equal(s.container_name, undefined);
  }
  for (const name of ['ingest', 'api']) {
    assert.ok(volumeTargets(get(name)).some((v) => v.target === '/geo' && v.ro && v.source.endsWith('/geo')), `${name}: ./geo:/geo:ro`);
  }

  // ingest scales: no container name, no host port
  const ingest = get('ingest');
  assert.equal(ingest.container_name, undefined);
  assert.deepEqual(ingest.ports ?? [], []);
  assert.equal(dependsOn(ingest, 'kafka-topics'), 'service_completed_successfully');
  assert.equal(env(ingest).TORLOGS_CLICKHOUSE_USER, 'torlogs_ingest');
  // the API on 8080
  assert.ok(publishedPorts(get('api')).some((p) => p.published === '8080' && p.target === '8080'), 'api publishes 8080');
  assert.equal(env(get('api')).TORLOGS_CLICKHOUSE_USER, 'torlogs_api');
  for (const [name, s] of Object.entries(services)) assert.equal(s.container_name, undefined, `${name}: no container_name`);

  // every TORLOGS_* setting of a torlogs container is a known variable with a valid value
  const known = new Map(Object.values(VARS).map((d) => [d.env, d]));
  for (const name of ['migrate', ...TORLOGS_SERVICES]) {
    for (const [k, v] of Object.entries(env(get(name)))) {
      if (!k.startsWith('TORLOGS_')) continue;
      const def = known.get(k);
      assert.ok(def, `${name}: ${k} is not a torlogs configuration variable`);
      const parsed = def.schema.safeParse(v ?? undefined);
      assert.ok(parsed.success, `${name}: ${k}=${v}: ${parsed.success ? '' : parsed.error.message}`);
    }
  }

  // each service's ClickHouse user exists and gets its password from the variable the server reads it from
  const xml = readUsersXml(readdirSync(USERS_DIR).filter((n) => n.endsWith('.xml')).map((n) => join(USERS_DIR, n)));
  for (const name of ['migrate', ...TORLOGS_SERVICES]) {
    const e = env(get(name));
    const user = xml.users[e.TORLOGS_CLICKHOUSE_USER ?? ''];
    assert.ok(user, `${name}: ClickHouse user ${e.TORLOGS_CLICKHOUSE_USER} is defined in deploy/clickhouse/users.d`);
    assert.equal(env(ch)[user.passwordFromEnv ?? ''], e.TORLOGS_CLICKHOUSE_PASSWORD, `${name}: password of ${e.TORLOGS_CLICKHOUSE_USER}`);
  }
  for (const [user, u] of Object.entries(xml.users)) {
    assert.ok(u.passwordFromEnv && env(ch)[u.passwordFromEnv], `${user}: password from ${u.passwordFromEnv}, which clickhouse's environment sets`);
  }
});

test('the ClickHouse users for docker-compose: four users, grants and settings the ClickHouse engine accepts', () => {
  const xml = readUsersXml(readdirSync(USERS_DIR).filter((n) => n.endsWith('.xml')).map((n) => join(USERS_DIR, n)));
  assert.deepEqual(Object.keys(xml.users).sort(), ['torlogs_admin', 'torlogs_analyst', 'torlogs_api', 'torlogs_ingest']);
  for (const [user, u] of Object.entries(xml.users)) {
    assert.ok(u.profile === 'default' || (u.profile && xml.profiles[u.profile]), `${user}: profile ${u.profile} is defined`);
    assert.ok(u.networks.length > 0, `${user}: networks`);
  }
  assert.equal(xml.users.torlogs_admin!.grants.length, 0, 'torlogs_admin has every privilege (no <grants>)');
  for (const reader of ['torlogs_analyst', 'torlogs_api']) {
    const u = xml.users[reader]!;
    assert.notEqual(xml.profiles[u.profile!]?.settings.readonly ?? '0', '0', `${reader} is read-only`);
    for (const g of u.grants) assert.doesNotMatch(g, /\b(INSERT|ALTER|CREATE|DROP|TRUNCATE|ALL)\b/i, `${reader}: ${g}`);
  }
  assert.ok(xml.users.torlogs_ingest!.grants.some((g) => /\bINSERT\b/.test(g)), 'torlogs_ingest may insert');

  // grants: parsed and level-checked by ClickHouse itself (a GLOBAL privilege granted ON db.* is INVALID_GRANT)
  for (const [user, u] of Object.entries(xml.users)) {
    for (const g of u.grants) {
      assert.doesNotThrow(() => chdbQuery(`EXPLAIN AST ${g} TO ${user}`, 'TSV'), `${user}: ${g}`);
    }
  }
  // profile settings and constraints name real settings
  const names = [...new Set(Object.values(xml.profiles).flatMap((p) => [...Object.keys(p.settings), ...p.constraints]))];
  const list = names.map((n) => `'${n.replace(/[^a-z0-9_]/g, '')}'`).join(',');
  const found = chdbQuery(`SELECT name FROM system.settings WHERE name IN (${list})`, 'TSV').trim().split('\n').filter((s) => s !== '');
  assert.deepEqual(found.sort(), names.sort());
});

test('the Dockerfile builds on node:20-bookworm-slim in stages and runs as a non-root user', () => {
  const df = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const from = [...df.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  assert.ok(from.length >= 2 && from.every((f) => f === 'node:20-bookworm-slim'), `FROM lines: ${from.join(', ')}`);
  for (const step of ['npm ci', 'npm run build', 'npm prune --omit=dev']) assert.ok(df.includes(step), step);
  const users = [...df.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
  assert.ok(users.length > 0 && !/^(root|0)(:|$)/.test(users[users.length - 1]!), `USER ${users.join(', ')}`);
  const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
  for (const p of ['node_modules', 'tmp', '.git']) assert.ok(ignore.includes(p), `.dockerignore: ${p}`);
});
