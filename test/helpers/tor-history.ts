/** The real Tor fixture documents, parsed (pure: no store), for verdict tests and benchmarks (TorHistory.fromDocuments). */
import { readdirSync, readFileSync } from 'node:fs';
import { parseTorSource } from '../../shared/tor/parse-tor-source.js';
import type { TorDocument } from '../../shared/tor/tor-document.js';
import { DEFAULT_TOR_POLICY, type TorPolicy } from '../../shared/tor/tor-policy.js';
import { fixture } from './fixtures.js';

export function loadFixtureDocs(dirs: string[] = ['bulk-snapshots', 'collector-exit-lists', 'collector-consensuses', 'onionoo'], policy: TorPolicy = DEFAULT_TOR_POLICY): TorDocument[] {
  const docs: TorDocument[] = [];
  for (const d of dirs) for (const f of readdirSync(fixture('tor', d)).sort()) docs.push(parseTorSource({ text: readFileSync(fixture('tor', d, f), 'utf8'), source: `${d}/${f}` }, policy));
  return docs;
}
