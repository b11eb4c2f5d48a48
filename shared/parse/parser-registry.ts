/**
 * TORLOGS_LOG_FORMAT → a parser, compiled once:
 *   auto | combined | common | vhost_combined   the fast combined parser (accepts all three and their variants)
 *   json | caddy | traefik                      JSON lines with a preset mapping
 *   json:{"time":"ts","remote_addr":"ip",...}   JSON lines with a custom mapping
 *   nginx:<log_format string>                   e.g. nginx:$remote_addr - $remote_user [$time_local] "$request" ...
 *   apache:<LogFormat string>                   e.g. apache:%h %l %u %t "%r" %>s %b
 */
import { TorlogsError } from '../core/errors.js';
import type { Parser } from '../pipeline/stages.js';
import { parseCombined } from './combined-parser.js';
import { compileApacheLogFormat, compileNginxLogFormat, parserFromCompiled } from './format-compiler.js';
import { createJsonParser, JSON_PRESETS, parseJsonMapping } from './json-parser.js';

export const BUILTIN_FORMATS = ['auto', 'combined', 'common', 'vhost_combined', 'json', 'caddy', 'traefik'] as const;

export interface ParserInfo {
  parser: Parser;
  /** JSON formats take a line that starts with `{` as the record itself, not as a shipper envelope */
  jsonLines: boolean;
}

export function getParser(spec: string): ParserInfo {
  if (spec === 'auto' || spec === 'combined' || spec === 'common' || spec === 'vhost_combined') return { parser: parseCombined, jsonLines: false };
  const preset = JSON_PRESETS[spec];
  if (preset) return { parser: createJsonParser(preset), jsonLines: true };
  if (spec.startsWith('json:')) return { parser: createJsonParser(parseJsonMapping(spec.slice(5))), jsonLines: true };
  if (spec.startsWith('nginx:')) return { parser: parserFromCompiled(compileNginxLogFormat(spec.slice(6))), jsonLines: false };
  if (spec.startsWith('apache:')) return { parser: parserFromCompiled(compileApacheLogFormat(spec.slice(7))), jsonLines: false };
  throw new TorlogsError('usage_invalid', `unknown log format ${JSON.stringify(spec)}: use ${BUILTIN_FORMATS.join(', ')}, json:{mapping}, nginx:<log_format> or apache:<LogFormat>`);
}
