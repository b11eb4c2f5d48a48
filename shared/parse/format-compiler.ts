/**
 * Compiles an nginx `log_format` string or an Apache `LogFormat` string ONCE into a parser: a list of steps, each a
 * literal separator followed by a field. Parsing walks the line with startsWith/indexOf: a field ends where the next
 * literal starts (a quoted field at its unescaped closing quote), the last field runs to the end of the line, and
 * the whole line must be consumed. Adjacent fields without a separator are allowed only where the boundary is
 * known: Apache `%U%q`, nginx `$uri$is_args$args`.
 *
 * Lenient cases: an unclosed quote in the LAST field runs to the end of the line; Apache `%t` keeps its brackets.
 * Values are unescaped (`\"`, `\xHH`, JSON escapes; see field-escapes) unless nginx `escape=none`.
 */
import { deadLetter, type ParsedLine, type StageResult } from '../model/parsed-line.js';
import { TorlogsError } from '../core/errors.js';
import { clfTimeMsAt } from './clf-time.js';
import { closingQuote, unescapeField } from './field-escapes.js';
import { apacheDirective, apacheFieldName, NGINX_VARS, resolveKinds, type FieldKind } from './format-fields.js';
import { Fields, fillField, finishFields } from './format-fill.js';
import { parseFormatSource, type FormatSource } from './format-source.js';
import { compileStrftime } from './strftime-time.js';
import type { TimeResult } from './clf-time.js';

type EndMode = 'lit' | 'tail' | 'rest' | 'quoted' | 'qmark' | 'qmark_opt';

export interface FormatStep {
  /** separator text before the field */
  literal: string;
  kind: FieldKind;
  /** field name used in rejections (`time_local`, `status`, `%{SSL_CIPHER}x` ...) */
  field: string;
  /** as written in the format (`$time_local`, `%>s`) */
  source: string;
  end: EndMode;
  /** where the field ends for `lit`/`qmark`: the next non-empty literal */
  stop: string;
  strftime: ((s: string) => TimeResult) | null;
}

export interface CompiledFormat {
  dialect: 'nginx' | 'apache';
  /** the format string as given */
  source: string;
  steps: readonly FormatStep[];
  /** literal text after the last field */
  tail: string;
  hasVhost: boolean;
  /** the format writes JSON objects (`{"ip":"$remote_addr",...}`): a `{` line is a record, not a shipper envelope */
  jsonLines: boolean;
  parse(line: string): StageResult<ParsedLine>;
}

interface RawStep {
  literal: string;
  kind: FieldKind;
  field: string;
  source: string;
  strftime: ((s: string) => TimeResult) | null;
}

const TIME_KINDS = new Set<FieldKind>(['time_clf', 'time_clf_bracketed', 'time_iso', 'time_epoch', 'time_epoch_us', 'time_strftime']);
const ADDR_KINDS = new Set<FieldKind>(['remote_addr', 'remote_addr_peer', 'addr_list', 'x_forwarded_for', 'forwarded', 'x_real_ip']);

export function compileNginxLogFormat(format: string): CompiledFormat {
  const src: FormatSource = parseFormatSource(format, 'nginx');
  const raw: RawStep[] = [];
  const re = /\$(?:\{([a-zA-Z_][a-zA-Z0-9_]*)\}|([a-zA-Z_][a-zA-Z0-9_]*))/g;
  let last = 0;
  for (let m = re.exec(src.text); m; m = re.exec(src.text)) {
    const name = (m[1] ?? m[2])!;
    raw.push({ literal: src.text.slice(last, m.index), kind: NGINX_VARS[name] ?? 'ignore', field: name, source: `$${name}`, strftime: null });
    last = m.index + m[0].length;
  }
  return build('nginx', format, raw, src.text.slice(last), src.unescape);
}

export function compileApacheLogFormat(format: string): CompiledFormat {
  const src = parseFormatSource(format, 'apache');
  const f = src.text;
  const raw: RawStep[] = [];
  let lit = '';
  for (let i = 0; i < f.length; i++) {
    if (f[i] !== '%') {
      lit += f[i];
      continue;
    }
    if (f[i + 1] === '%') {
      lit += '%';
      i++;
      continue;
    }
    let j = i + 1;
    while (j < f.length && /[<>!0-9,]/.test(f[j]!)) j++; // modifiers: %>s, %400,501{..}i, %!200{..}i
    const modifiers = f.slice(i + 1, j);
    let arg = '';
    if (f[j] === '{') {
      const end = f.indexOf('}', j);
      if (end < 0) throw new TorlogsError('usage_invalid', `Apache LogFormat: unclosed "{" at position ${j + 1} in ${JSON.stringify(format)}`);
      arg = f.slice(j + 1, end);
      j = end + 1;
    }
    let letter = f[j];
    if (letter === '^') letter = f.slice(j, j + 3); // %{VAR}^ti / ^to: trailers
    if (!letter) throw new TorlogsError('usage_invalid', `Apache LogFormat: "%" without a directive at the end of ${JSON.stringify(format)}`);
    const kind = apacheDirective(letter, arg, modifiers);
    const strftime = kind === 'time_strftime' ? compileStrftime(arg.replace(/^(begin|end):/, '')) : null;
    raw.push({ literal: lit, kind, field: apacheFieldName(letter, arg, kind), source: f.slice(i, j + letter.length), strftime });
    lit = '';
    i = j + letter.length - 1;
  }
  return build('apache', format, raw, lit, src.unescape);
}

function build(dialect: 'nginx' | 'apache', source: string, raw: RawStep[], tail: string, unescape: boolean): CompiledFormat {
  const what = `${dialect === 'nginx' ? 'nginx log_format' : 'Apache LogFormat'} ${JSON.stringify(source)}`;
  if (raw.length === 0) throw new TorlogsError('usage_invalid', `${what} has no fields`);
  const kinds = resolveKinds(raw.map((s) => s.kind));
  if (!kinds.some((k) => TIME_KINDS.has(k))) throw new TorlogsError('usage_invalid', `${what} has no time field (nginx $time_local/$time_iso8601/$msec, Apache %t/%{...}t)`);
  if (!kinds.some((k) => ADDR_KINDS.has(k))) throw new TorlogsError('usage_invalid', `${what} has no client address field (nginx $remote_addr, Apache %h/%a)`);
  const steps: FormatStep[] = raw.map((s, k) => {
    const kind = kinds[k]!;
    const nextLit = k + 1 < raw.length ? raw[k + 1]!.literal : tail;
    const isLast = k + 1 === raw.length;
    let stop = nextLit;
    for (let n = k + 1; stop === '' && n < raw.length; n++) stop = n + 1 < raw.length ? raw[n + 1]!.literal : tail;
    let end: EndMode;
    if (s.literal.endsWith('"') && nextLit.startsWith('"')) end = 'quoted';
    else if (nextLit !== '') end = isLast ? 'tail' : 'lit';
    else if (isLast) end = 'rest';
    else if (kind === 'uri') end = 'qmark';
    else if (kind === 'query_mark') end = 'qmark_opt';
    else throw new TorlogsError('usage_invalid', `${what}: ${s.source} and ${raw[k + 1]!.source} have no separator between them`);
    return { ...s, kind, end, stop };
  });
  const c: CompiledFormat = {
    dialect, source, steps, tail,
    hasVhost: kinds.includes('vhost'),
    jsonLines: (steps[0]!.literal + tail).trimStart().startsWith('{'),
    parse: (line) => parseWith(steps, tail, unescape, line),
  };
  return c;
}

const show = (line: string, pos: number) => JSON.stringify(line.length - pos > 30 ? `${line.slice(pos, pos + 30)}…` : line.slice(pos));

function parseWith(steps: readonly FormatStep[], tail: string, unescape: boolean, line: string): StageResult<ParsedLine> {
  const f = new Fields();
  const len = line.length;
  const lastStep = steps.length - 1;
  let pos = 0;
  let unclosed = false;
  for (let k = 0; k <= lastStep; k++) {
    const s = steps[k]!;
    if (s.literal !== '') {
      if (!line.startsWith(s.literal, pos)) return deadLetter('malformed_line', 'parse', s.field, `expected ${JSON.stringify(s.literal)} before ${s.source} at column ${pos + 1}, found ${show(line, pos)}`);
      pos += s.literal.length;
    }
    let end: number;
    switch (s.end) {
      case 'quoted':
        end = closingQuote(line, pos);
        if (end < 0 && k === lastStep) {
          end = len; // lenient: an unclosed quote in the last field runs to the end of the line
          unclosed = true;
        }
        break;
      case 'lit':
        end = line.indexOf(s.stop, pos);
        // an unquoted address list (`a, b, c`, $proxy_add_x_forwarded_for, $upstream_addr) does not end after a comma
        while (end > pos && line.charCodeAt(end - 1) === 44 && s.stop.charCodeAt(0) === 32) end = line.indexOf(s.stop, end + 1);
        break;
      case 'tail': end = line.endsWith(s.stop) && len - s.stop.length >= pos ? len - s.stop.length : -1; break;
      case 'rest': end = len; break;
      case 'qmark': {
        const stopAt = s.stop === '' ? len : line.indexOf(s.stop, pos);
        const q = line.indexOf('?', pos);
        end = q >= 0 && (stopAt < 0 || q < stopAt) ? q : stopAt;
        break;
      }
      case 'qmark_opt': end = line.charCodeAt(pos) === 63 ? pos + 1 : pos; break;
    }
    if (s.kind === 'time_clf_bracketed') {
      // Apache %t writes its own brackets around a value with a space in it
      if (line.charCodeAt(pos) !== 91) return deadLetter('malformed_line', 'parse', s.field, `expected "[" of ${s.source} at column ${pos + 1}, found ${show(line, pos)}`);
      end = line.indexOf(']', pos) + 1 || -1;
    }
    if (end < 0) return deadLetter('malformed_line', 'parse', s.field, `no ${JSON.stringify(s.stop)} after ${s.source} (from column ${pos + 1}: ${show(line, pos)})`);
    if (s.kind !== 'ignore') {
      let err;
      if ((s.kind === 'time_clf' && end - pos === 26) || (s.kind === 'time_clf_bracketed' && end - pos === 28)) {
        const ms = clfTimeMsAt(line, s.kind === 'time_clf' ? pos : pos + 1);
        if (ms === ms) f.timeMs = ms;
        else err = fillField(f, s.kind, line.slice(pos, end));
      } else {
        const raw = unclosed ? line.slice(pos, end).trimEnd() : line.slice(pos, end);
        err = fillField(f, s.kind, unescape && TEXT_KINDS.has(s.kind) ? unescapeField(raw) : raw, s.strftime ?? undefined);
      }
      if (err) return deadLetter(err.reason, 'parse', s.field, err.detail);
    }
    pos = end;
  }
  if (!unclosed) {
    if (!line.startsWith(tail, pos)) return deadLetter('malformed_line', 'parse', steps[lastStep]!.field, `expected ${JSON.stringify(tail)} after ${steps[lastStep]!.source} at column ${pos + 1}, found ${show(line, pos)}`);
    if (pos + tail.length !== len) return deadLetter('malformed_line', 'parse', 'line', `unexpected text after the end of the format at column ${pos + tail.length + 1}: ${show(line, pos + tail.length)}`);
  }
  return finishFields(f);
}

const TEXT_KINDS = new Set<FieldKind>([
  'remote_addr', 'remote_addr_peer', 'addr_list', 'request', 'method', 'uri', 'query', 'protocol', 'referer', 'user_agent',
  'x_forwarded_for', 'forwarded', 'x_real_ip', 'vhost', 'user',
]);
