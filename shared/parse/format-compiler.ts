/**
 * Compiles an nginx `log_format` string or an Apache `LogFormat` string ONCE into a parser: a list of literal
 * separators and fields. Parsing walks the line: each field ends where the next literal starts (quoted fields at an
 * unescaped quote); the last field takes the rest of the line.
 */
import { deadLetter, type ParsedLine, type StageResult } from '../model/parsed-line.js';
import { TorlogsError } from '../core/errors.js';
import { closingQuote, unescapeField } from './field-escapes.js';
import { apacheDirective, NGINX_VARS, type FieldName } from './format-fields.js';
import { fillField, newFields, finishFields } from './format-fill.js';

interface Step {
  literal: string;
  field: FieldName | null;
  /** source name (`$time_local`, `%t`) for error messages */
  name: string;
}

export interface CompiledFormat {
  steps: Step[];
  source: string;
}

export function compileNginxLogFormat(format: string): CompiledFormat {
  const steps: Step[] = [];
  let lit = '';
  const re = /\$(\{?)([a-zA-Z_][a-zA-Z0-9_]*)\}?/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    lit += format.slice(last, m.index);
    steps.push({ literal: lit, field: NGINX_VARS[m[2]!] ?? 'ignore', name: `$${m[2]}` });
    lit = '';
    last = m.index + m[0].length;
  }
  return finish(steps, format.slice(last), format);
}

export function compileApacheLogFormat(format: string): CompiledFormat {
  const steps: Step[] = [];
  const f = format.replace(/\\"/g, '"').replace(/\\t/g, '\t');
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
    while (j < f.length && /[<>!0-9,]/.test(f[j]!)) j++; // modifiers: %>s, %400,501{..}i
    let arg = '';
    if (f[j] === '{') {
      const end = f.indexOf('}', j);
      if (end < 0) throw new TorlogsError('usage_invalid', `Apache LogFormat: unclosed "{" at position ${j} in ${JSON.stringify(format)}`);
      arg = f.slice(j + 1, end);
      j = end + 1;
    }
    const letter = f[j];
    if (!letter) throw new TorlogsError('usage_invalid', `Apache LogFormat: "%" at the end of ${JSON.stringify(format)}`);
    steps.push({ literal: lit, field: apacheDirective(letter, arg), name: `%${arg ? `{${arg}}` : ''}${letter}` });
    lit = '';
    i = j;
  }
  return finish(steps, lit, format);
}

function finish(steps: Step[], tail: string, source: string): CompiledFormat {
  if (steps.length === 0) throw new TorlogsError('usage_invalid', `log format ${JSON.stringify(source)} has no fields`);
  for (let k = 1; k < steps.length; k++) {
    if (steps[k]!.literal === '') throw new TorlogsError('usage_invalid', `log format ${JSON.stringify(source)}: ${steps[k - 1]!.name} and ${steps[k]!.name} have no separator between them`);
  }
  return { steps: [...steps, { literal: tail, field: null, name: 'end' }], source };
}

export function parserFromCompiled(c: CompiledFormat): (line: string) => StageResult<ParsedLine> {
  const { steps } = c;
  return (input) => {
    const line = input.charCodeAt(input.length - 1) === 13 ? input.slice(0, -1) : input;
    if (line.trim() === '') return deadLetter('empty_line', 'parse', 'line', 'line is empty');
    const fields = newFields();
    let pos = 0;
    for (let k = 0; k < steps.length; k++) {
      const s = steps[k]!;
      if (!line.startsWith(s.literal, pos)) {
        return deadLetter('malformed_line', 'parse', s.name, `expected ${JSON.stringify(s.literal)} at column ${pos + 1}, found ${JSON.stringify(line.slice(pos, pos + 20))}`);
      }
      pos += s.literal.length;
      if (s.field === null) break;
      const next = steps[k + 1]!;
      const inQuotes = s.literal.endsWith('"') && next.literal.startsWith('"');
      let end: number;
      if (s.field === 'time_clf' && line.charCodeAt(pos) === 91) {
        // Apache %t writes its own brackets around a value that contains a space
        end = line.indexOf(']', pos) + 1;
        if (end === 0) return deadLetter('malformed_line', 'parse', s.name, `unclosed "[" at column ${pos + 1}`);
      } else if (next.field === null && next.literal === '') end = inQuotes ? Math.max(closingQuote(line, pos), pos) : line.length;
      else if (inQuotes) end = closingQuote(line, pos);
      else end = line.indexOf(next.literal, pos);
      if (end < 0) {
        if (inQuotes && next.field === null) end = line.length; // unclosed last quoted field: take the rest
        else return deadLetter('malformed_line', 'parse', s.name, `no ${JSON.stringify(next.literal)} after ${s.name} (column ${pos + 1})`);
      }
      const raw = line.slice(pos, end);
      const err = fillField(fields, s.field, inQuotes ? unescapeField(raw) : raw);
      if (err) return deadLetter(err.reason, 'parse', s.name, err.detail);
      pos = end;
    }
    return finishFields(fields);
  };
}
