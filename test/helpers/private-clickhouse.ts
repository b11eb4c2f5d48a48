/**
 * A ClickHouse server of this test's own (scripts/clickhouse-server.sh with its own ports and state directory), for
 * tests that stop and start the server: the shared one on 38123 is used by other tests at the same time.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './cli.js';

const run = promisify(execFile);

export interface PrivateClickhouse {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** stops the server and deletes its state */
  dispose(): Promise<void>;
}

/** a TCP port that was free a moment ago on 127.0.0.1 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPrivateClickhouse(): Promise<PrivateClickhouse> {
  const state = mkdtempSync(join(tmpdir(), 'torlogs-ch-'));
  const http = await freePort();
  let tcp = await freePort();
  while (tcp === http) tcp = await freePort();
  const env = { ...process.env, TORLOGS_CH_STATE_DIR: state, TORLOGS_CH_HTTP_PORT: String(http), TORLOGS_CH_TCP_PORT: String(tcp) };
  const script = async (cmd: 'start' | 'stop') => {
    try {
      await run('bash', [join(repoRoot, 'scripts', 'clickhouse-server.sh'), cmd], { env, cwd: repoRoot, timeout: 90_000 });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`clickhouse-server.sh ${cmd} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
    }
  };
  await script('start');
  return {
    url: `http://127.0.0.1:${http}`,
    start: () => script('start'),
    stop: () => script('stop'),
    async dispose() {
      try {
        await script('stop');
      } finally {
        rmSync(state, { recursive: true, force: true });
      }
    },
  };
}
