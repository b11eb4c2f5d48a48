/**
 * Kafka message value → log lines. A value is one line, several lines separated by \n (CRLF accepted), or per
 * line a shipper's JSON envelope: Filebeat `{"@timestamp":..,"message":"<line>","host":{..},"log":{"file":{..}}}`,
 * Vector `{"message":"<line>","timestamp":..,"host":".."}`, Fluent Bit `{"log":"<line>"}` / `{"message":..}` or its
 * `[time, {record}]` form. Nothing is dropped: every line comes out as a line or as a dead letter, in order.
 *
 * The format decides what a `{` line is:
 *  - text formats (combined, nginx:..): a `{` line must be an envelope; not JSON → `bad_json`, JSON without a
 *    string `message`/`log` → `bad_envelope`. A `[` line is an envelope only when it is the Fluent Bit array form
 *    (`[10/Oct/2000:..]` starts mod_ssl's request log, so other `[` lines stay log lines).
 *  - JSON formats (json, caddy, traefik; `jsonLines`): a `{` line is the access-log record itself, unless its
 *    `message`/`log` is a string that itself holds a JSON object (a shipper wrapping a JSON log line).
 */
import type { Rejection } from '../model/parsed-line.js';
import type { DecodedItem, MessageDecoder } from './message-decoder.js';
import { splitMessageLines, type InvalidUtf8Policy } from './line-split.js';

export interface DecodeOptions {
  /** the configured format's lines are JSON objects (Parser.jsonLines); default false */
  jsonLines?: boolean;
  /** envelope lines longer than 4× this + 4 KiB are `line_too_long` without being parsed; default 65536 */
  maxLineBytes?: number;
  /** bytes that are not UTF-8: `escape` as \xHH (default) or `reject` the line as `bad_encoding` */
  invalidUtf8?: InvalidUtf8Policy;
}

export interface EnvelopeHints {
  shipper: 'filebeat' | 'vector' | 'fluent-bit' | 'unknown';
  /** the shipping host (Filebeat host.name, Vector host, Fluent Bit hostname), '' when absent */
  host: string;
  /** a site the shipper was configured to tag (`site`, `fields.site`, `labels.site`), '' when absent */
  site: string;
  /** the log file the line was read from (`log.file.path`, `file`, `path`), '' when absent */
  file: string;
  /** the shipper's own timestamp as sent (not the request time), '' when absent */
  timestamp: string;
}

export type DecodedLine = { ok: true; line: string; lineIndex: number; envelope: EnvelopeHints | null };
export type DecodedReject = { ok: false; rejection: Rejection; raw: string; lineIndex: number };

export interface DecodedMessage {
  /** one entry per line of the value, in order (lineIndex 0, 1, ...) */
  items: Array<DecodedLine | DecodedReject>;
  /** hints of the first envelope in the message, null when there was none */
  envelope: EnvelopeHints | null;
}

const reject = (lineIndex: number, raw: string, reason: Rejection['reason'], field: string, detail: string): DecodedReject => ({
  ok: false, lineIndex, raw, rejection: { reason, stage: 'decode', field, detail },
});

type Rec = Record<string, unknown>;
const isObj = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const at = (o: Rec, ...path: string[]): unknown => path.reduce<unknown>((cur, k) => (isObj(cur) ? cur[k] : undefined), o);

function hintsOf(rec: Rec, arrayTime: unknown): EnvelopeHints {
  const filebeat = rec['@timestamp'] !== undefined && (isObj(rec.agent) || isObj(rec.ecs) || isObj(rec.log) || isObj(rec.input));
  const vector = !filebeat && (typeof rec.source_type === 'string' || (typeof rec.timestamp === 'string' && typeof rec.host === 'string'));
  const fluent = !filebeat && !vector && (arrayTime !== undefined || typeof rec.log === 'string');
  return {
    shipper: filebeat ? 'filebeat' : vector ? 'vector' : fluent ? 'fluent-bit' : 'unknown',
    host: str(at(rec, 'host', 'name')) || str(at(rec, 'host', 'hostname')) || str(rec.host) || str(rec.hostname),
    site: str(rec.site) || str(at(rec, 'fields', 'site')) || str(at(rec, 'labels', 'site')),
    file: str(at(rec, 'log', 'file', 'path')) || str(rec.file) || str(rec.path) || str(rec.filename),
    timestamp: str(rec['@timestamp']) || str(rec.timestamp) || str(arrayTime) || str(rec.date) || str(rec.time),
  };
}

/** the log line an envelope carries (`message`, else `log`), with one trailing newline removed */
function payload(rec: Rec): string | undefined {
  const m = typeof rec.message === 'string' ? rec.message : typeof rec.log === 'string' ? rec.log : undefined;
  return m === undefined ? undefined : m.replace(/\r?\n$/, '');
}

function looksLikeJsonObject(s: string): boolean {
  const t = s.trim();
  return t.startsWith('{') && t.endsWith('}');
}

function decodeLine(line: string, i: number, o: Required<DecodeOptions>): DecodedLine | DecodedReject {
  const c = line.charCodeAt(0);
  if (c !== 123 /* { */ && c !== 91 /* [ */) return { ok: true, line, lineIndex: i, envelope: null };
  if (o.jsonLines && c === 123 && line.indexOf('"message"') < 0 && line.indexOf('"log"') < 0) return { ok: true, line, lineIndex: i, envelope: null };
  if (c === 91 && line.trimEnd().charCodeAt(line.trimEnd().length - 1) !== 93) return { ok: true, line, lineIndex: i, envelope: null };
  if (line.length > o.maxLineBytes * 4 + 4096) return reject(i, line, 'line_too_long', 'message', `JSON line of ${line.length} characters: over the envelope limit (4 × maxLineBytes ${o.maxLineBytes} + 4096)`);
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    if (c === 91 || o.jsonLines) return { ok: true, line, lineIndex: i, envelope: null }; // a log line / the parser reports bad_json
    return reject(i, line, 'bad_json', 'message', `line starts with "{" but is not JSON (${(err as Error).message}); a shipper envelope must be one JSON object per line`);
  }
  let rec: Rec;
  let arrayTime: unknown;
  if (Array.isArray(v)) {
    if (!(v.length === 2 && isObj(v[1]) && (typeof v[0] === 'number' || typeof v[0] === 'string' || Array.isArray(v[0])))) return { ok: true, line, lineIndex: i, envelope: null };
    rec = v[1];
    arrayTime = Array.isArray(v[0]) ? v[0][0] : v[0]; // Fluent Bit: [time, record] or [[time, metadata], record]
  } else if (isObj(v)) rec = v;
  else return o.jsonLines ? { ok: true, line, lineIndex: i, envelope: null } : reject(i, line, 'bad_envelope', 'message', `JSON line is a ${typeof v}, not an envelope object with a "message"`);

  const msg = payload(rec);
  if (o.jsonLines) {
    if (msg !== undefined && looksLikeJsonObject(msg)) return { ok: true, line: msg, lineIndex: i, envelope: hintsOf(rec, arrayTime) };
    return { ok: true, line: arrayTime === undefined ? line : JSON.stringify(rec), lineIndex: i, envelope: null }; // the record itself
  }
  if (msg === undefined) {
    const keys = Object.keys(rec).slice(0, 8).join(', ');
    return reject(i, line, 'bad_envelope', 'message', `JSON envelope without a string "message" or "log" field (keys: ${keys || 'none'}); if the log itself is JSON, configure a JSON format (json, caddy, traefik, json:{...})`);
  }
  if (msg.trim() === '') return reject(i, line, 'empty_line', 'message', 'the envelope\'s "message"/"log" is empty');
  return { ok: true, line: msg, lineIndex: i, envelope: hintsOf(rec, arrayTime) };
}

/** Decodes one Kafka message value into its lines and per-line dead letters. Never throws on bad data. */
export function decodeMessage(value: Buffer | string, opts: DecodeOptions = {}): DecodedMessage {
  const o: Required<DecodeOptions> = { jsonLines: opts.jsonLines ?? false, maxLineBytes: opts.maxLineBytes ?? 65_536, invalidUtf8: opts.invalidUtf8 ?? 'escape' };
  const items: DecodedMessage['items'] = [];
  let envelope: EnvelopeHints | null = null;
  const lines = splitMessageLines(value);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    let item: DecodedLine | DecodedReject;
    if (l.invalidBytes > 0 && o.invalidUtf8 === 'reject') {
      item = reject(i, l.text, 'bad_encoding', 'line', `${l.invalidBytes} byte(s) are not valid UTF-8, the first at byte ${l.firstInvalid} of the line`);
    } else if (l.text.length === 0 || l.text.trim() === '') {
      item = reject(i, l.text, 'empty_line', 'line', lines.length === 1 ? 'the message is empty' : `line ${i} of the message is empty`);
    } else item = decodeLine(l.text, i, o);
    if (item.ok && item.envelope && !envelope) envelope = item.envelope;
    items.push(item);
  }
  return { items, envelope };
}

/** The decoder stage for the ingest pipeline (DecodedLine and DecodedReject are DecodedItems). */
export function createMessageDecoder(opts: DecodeOptions | boolean = {}): MessageDecoder {
  const o = typeof opts === 'boolean' ? { jsonLines: opts } : opts;
  return (value): DecodedItem[] => decodeMessage(value, o).items;
}
