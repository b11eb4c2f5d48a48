/** Runs the real `torlogs` binary as a child process (what a user runs). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(fileURLToPath(import.meta.url), '..', '..', '..');
export const torlogsBin = join(repoRoot, 'bin', 'torlogs.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** env: TORLOGS_* for the child; the parent's TORLOGS_* are not inherited so tests are hermetic. */
export function runTorlogs(args: string[], env: Record<string, string> = {}, input?: string, timeoutMs = 180_000): Promise<CliResult> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TORLOGS_')) base[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [torlogsBin, ...args], { env: { ...base, TORLOGS_LOG_LEVEL: 'warn', ...env }, cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}
