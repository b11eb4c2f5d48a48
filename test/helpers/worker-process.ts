/**
 * A real `torlogs serve --only ingest` worker as a child process (so a test can SIGTERM or kill -9 it), with its
 * /metrics read over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot, torlogsBin } from './cli.js';

export interface WorkerProcess {
  child: ChildProcess;
  url: string;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** SIGTERM and wait for exit; resolves with the exit code */
  stop(): Promise<number>;
  /** SIGKILL (no drain) */
  kill(): Promise<void>;
  /** throws with the worker's log when it has exited (use inside waitUntil conditions) */
  assertAlive(): void;
  stderr(): string;
}

export async function startWorker(env: Record<string, string>, args: string[] = ['serve', '--only', 'ingest', '--no-sync-on-start']): Promise<WorkerProcess> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TORLOGS_')) base[k] = v;
  const child = spawn(process.execPath, [torlogsBin, ...args], { cwd: repoRoot, env: { ...base, TORLOGS_HTTP_PORT: '0', TORLOGS_LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let exitCode: number | null = null;
  const exited = new Promise<number>((r) => child.on('exit', (code, sig) => r((exitCode = code ?? (sig ? 128 : -1)))));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`worker did not start in 60 s:\n${err.slice(-3000)}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /"url":"(http:\/\/[^"]+)".*"msg":"serving"/.exec(err);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
    child.stdout!.on('data', () => undefined);
    void exited.then((code) => {
      clearTimeout(t);
      reject(new Error(`worker exited with ${code} before serving:\n${err.slice(-3000)}`));
    });
  });
  return {
    child,
    url,
    async metric(name, labels) {
      const text = await (await fetch(`${url}/metrics`)).text();
      let sum = 0;
      for (const line of text.split('\n')) {
        if (!line.startsWith(`torlogs_${name}`) || line.startsWith('#')) continue;
        const m = /^(\w+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
        if (!m || m[1] !== `torlogs_${name}`) continue;
        if (labels && !Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) continue;
        sum += Number(m[3]);
      }
      return sum;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    stderr: () => err,
    assertAlive() {
      if (exitCode !== null) throw new Error(`worker exited with ${exitCode}:\n${err.slice(-3000)}`);
    },
  };
}

export async function waitUntil(what: string, cond: () => Promise<boolean>, timeoutMs = 180_000, everyMs = 250): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    let ok = false;
    try {
      ok = await cond();
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('worker exited')) throw e;
    }
    if (ok) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
