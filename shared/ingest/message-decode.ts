/**
 * Kafka message value → log lines. A value is one line, several lines separated by \n (CRLF accepted), or a
 * shipper's JSON envelope per line: Filebeat / Vector `{"message": "<line>", ...}`, Fluent Bit `{"log": ...}` or
 * its `[time, {record}]` form. With a JSON log format the JSON line is the record itself, never an envelope.
 * Nothing is dropped: a blank line or an envelope without a message becomes a dead letter.
 */
import type { DecodedItem, MessageDecoder } from './message-decoder.js';

export function createMessageDecoder(jsonLines: boolean): MessageDecoder {
  return (value) => decodeMessage(value, jsonLines);
}

export function decodeMessage(value: Buffer | string, jsonLines: boolean): DecodedItem[] {
  const text = typeof value === 'string' ? value : value.toString('utf8');
  const out: DecodedItem[] = [];
  if (text.length === 0) {
    out.push({ ok: false, lineIndex: 0, raw: '', rejection: { reason: 'empty_line', stage: 'decode', field: 'message', detail: 'empty Kafka message' } });
    return out;
  }
  let start = 0;
  let index = 0;
  const end = text.charCodeAt(text.length - 1) === 10 ? text.length - 1 : text.length;
  while (start <= end) {
    let nl = text.indexOf('\n', start);
    if (nl < 0 || nl > end) nl = end;
    let line = text.slice(start, nl);
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    start = nl + 1;
    const i = index++;
    if (line.trim() === '') {
      out.push({ ok: false, lineIndex: i, raw: line, rejection: { reason: 'empty_line', stage: 'decode', field: 'line', detail: `line ${i} of the message is empty` } });
    } else if (!jsonLines && (line.charCodeAt(0) === 123 || line.charCodeAt(0) === 91)) {
      out.push(unwrapEnvelope(line, i));
    } else out.push({ ok: true, line, lineIndex: i });
    if (nl === end) break;
  }
  return out;
}

function unwrapEnvelope(line: string, lineIndex: number): DecodedItem {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (err) {
    return { ok: false, lineIndex, raw: line, rejection: { reason: 'bad_json', stage: 'decode', field: 'message', detail: `line starts like a JSON envelope but is not JSON: ${(err as Error).message}` } };
  }
  if (Array.isArray(obj) && obj.length === 2 && typeof obj[1] === 'object') obj = obj[1]; // Fluent Bit [time, record]
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    const rec = obj as Record<string, unknown>;
    const msg = typeof rec.message === 'string' ? rec.message : typeof rec.log === 'string' ? rec.log : undefined;
    if (msg !== undefined && msg.trim() !== '') return { ok: true, line: msg.replace(/\r?\n$/, ''), lineIndex };
  }
  return { ok: false, lineIndex, raw: line, rejection: { reason: 'bad_envelope', stage: 'decode', field: 'message', detail: 'JSON envelope without a non-empty "message" or "log" string' } };
}
