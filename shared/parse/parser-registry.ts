/**
 * Log format → parser, compiled once (TORLOGS_LOG_FORMAT / `--format`):
 *   auto                 per line: combined, vhost_combined or common, and the nginx variants of the elastic-beats
 *                        fixtures (X-Forwarded-For lists before the client, `unix:` clients, host:port vhosts)
 *   combined | common | vhost_combined     exactly that Apache/nginx format (see combined-parser)
 *   apache_ssl_request   mod_ssl's ssl_request_log: `%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x "%r" %b` (no status: 0)
 *   json | nginx_json    nginx `escape=json` formats with the usual key names
 *   caddy | traefik      their JSON access logs
 *   json:{"ts":"time","remote_addr":"ip",...}   JSON lines with a custom mapping (see json-presets)
 *   nginx:<log_format>   e.g. nginx:$remote_addr - $remote_user [$time_local] "$request" $status ...
 *   apache:<LogFormat>   e.g. apache:%h %l %u %t "%r" %>s %b
 * Every parser: pure, returns a dead letter for bad data (never throws), strips one trailing \r, rejects blank and
 * over-long lines, and retries a line wrapped whole in quotes (line-guard). Only a bad *spec* throws (usage_invalid).
 */
import type { ParsedLine, StageResult } from '../model/parsed-line.js';
import { TorlogsError } from '../core/errors.js';
import { createClfParser } from './combined-parser.js';
import { compileApacheLogFormat, compileNginxLogFormat, type CompiledFormat } from './format-compiler.js';
import { createJsonParser } from './json-parser.js';
import { isJsonPreset, JSON_PRESETS, validateJsonMapping, type JsonMapping, type JsonPresetName } from './json-presets.js';
import { DEFAULT_MAX_LINE_BYTES, guardParser, type CoreParser } from './line-guard.js';

export const BUILTIN_FORMATS = ['auto', 'combined', 'common', 'vhost_combined', 'apache_ssl_request', 'json', 'nginx_json', 'caddy', 'traefik'] as const;
export type BuiltinFormat = (typeof BUILTIN_FORMATS)[number];

/** A format name or prefixed string (see module doc), or the same as an object. */
export type FormatSpec =
  | string
  | { kind: 'nginx' | 'apache'; format: string }
  | { kind: 'json'; mapping: JsonMapping | JsonPresetName };

export interface ParserOptions {
  /** longer lines (UTF-8 bytes, after stripping \r) are `line_too_long`; default 65536 */
  maxLineBytes?: number;
}

export interface Parser {
  (line: string): StageResult<ParsedLine>;
  /** the format: `combined`, `auto`, `caddy`, `nginx:<format>`, `json:{...}` ... */
  readonly name: string;
  /** lines can carry a virtual host (ParsedLine.vhost may be non-empty) */
  readonly hasVhost: boolean;
  /** the format's lines are JSON objects: a `{` line is the record itself, not a shipper envelope (decodeMessage) */
  readonly jsonLines: boolean;
  /** @deprecated the parser itself, for callers written as `const { parser } = getParser(...)` */
  readonly parser: Parser;
}

export const APACHE_SSL_REQUEST_FORMAT = '%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x "%r" %b';

interface Built {
  core: CoreParser;
  name: string;
  hasVhost: boolean;
  jsonLines: boolean;
}

const fromCompiled = (c: CompiledFormat, name: string): Built => ({ core: c.parse, name, hasVhost: c.hasVhost, jsonLines: c.jsonLines });
const fromJson = (m: JsonMapping, name: string): Built => ({ core: createJsonParser(m), name, hasVhost: m.vhost !== undefined, jsonLines: true });

function build(spec: FormatSpec): Built {
  if (typeof spec !== 'string') {
    if (spec.kind === 'json') {
      if (typeof spec.mapping === 'string') return build(spec.mapping);
      return fromJson(validateJsonMapping(spec.mapping, 'given'), `json:${JSON.stringify(spec.mapping)}`);
    }
    const c = spec.kind === 'nginx' ? compileNginxLogFormat(spec.format) : compileApacheLogFormat(spec.format);
    return fromCompiled(c, `${spec.kind}:${spec.format}`);
  }
  switch (spec) {
    case 'auto': return { core: createClfParser('auto'), name: spec, hasVhost: true, jsonLines: false };
    case 'combined': case 'common': return { core: createClfParser(spec), name: spec, hasVhost: false, jsonLines: false };
    case 'vhost_combined': return { core: createClfParser(spec), name: spec, hasVhost: true, jsonLines: false };
    case 'apache_ssl_request': return fromCompiled(compileApacheLogFormat(APACHE_SSL_REQUEST_FORMAT), spec);
  }
  if (isJsonPreset(spec)) return fromJson(JSON_PRESETS[spec], spec);
  if (spec.startsWith('json:')) return fromJson(validateJsonMapping(spec.slice(5), spec.slice(5)), spec);
  if (spec.startsWith('nginx:')) return fromCompiled(compileNginxLogFormat(spec.slice(6)), spec);
  if (spec.startsWith('apache:')) return fromCompiled(compileApacheLogFormat(spec.slice(7)), spec);
  throw new TorlogsError('usage_invalid', `unknown log format ${JSON.stringify(spec)}: use ${BUILTIN_FORMATS.join(', ')}, json:{mapping}, nginx:<log_format> or apache:<LogFormat>`);
}

/** The parser of a format, compiled once. Throws TorlogsError(usage_invalid) for an unknown or invalid format. */
export function getParser(spec: FormatSpec, opts: ParserOptions = {}): Parser {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!(Number.isInteger(max) && max > 0)) throw new TorlogsError('usage_invalid', `maxLineBytes must be a positive integer, got ${max}`);
  const b = build(spec);
  const fn = guardParser(b.core, max) as (line: string) => StageResult<ParsedLine>;
  Object.defineProperty(fn, 'name', { value: b.name });
  Object.defineProperty(fn, 'hasVhost', { value: b.hasVhost, enumerable: true });
  Object.defineProperty(fn, 'jsonLines', { value: b.jsonLines, enumerable: true });
  Object.defineProperty(fn, 'parser', { value: fn });
  return fn as Parser;
}
