/** Prints the README configuration table from the config schema (shared/config/vars.ts). Usage: npx tsx scripts/config-table.ts */
import { VARS } from '../shared/config/vars.js';

const rows = Object.values(VARS).map((d) => `| \`${d.env}\` | ${d.def === undefined ? '(unset)' : d.def === '' ? '(empty)' : `\`${d.def}\``} | ${d.doc.replace(/\|/g, '\\|')} |`);
console.log(['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n'));
