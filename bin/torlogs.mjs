#!/usr/bin/env node
// Entry point of the `torlogs` command. Runs the compiled build when present (Docker image, `npm run build`),
// otherwise the TypeScript sources through tsx (a fresh clone after `npm ci`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const built = join(root, 'dist', 'services', 'cli', 'main.js');
if (existsSync(built) && !process.env.TORLOGS_FROM_SOURCE) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'services', 'cli', 'main.ts')).href);
}
