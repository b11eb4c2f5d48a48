/** Paths of the bundled real fixtures (test/fixtures, see its README) and a line reader that keeps every line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

export const fixtures = join(repoRoot, 'test', 'fixtures');
export const fixture = (...p: string[]) => join(fixtures, ...p);

/** lines of a file; a final newline does not make an extra empty line */
export function fixtureLines(...p: string[]): string[] {
  const text = readFileSync(fixture(...p), 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
