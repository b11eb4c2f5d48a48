/**
 * Dead-letter reason codes: a closed list. Every line that is not stored gets exactly one of these.
 * Adding a code is a schema change (the ClickHouse `ingest_rejects.reason` column is an Enum of this list).
 */
export const REJECT_REASONS = [
  'empty_line', // blank line or only whitespace
  'line_too_long', // longer than TORLOGS_MAX_LINE_BYTES
  'bad_encoding', // not valid UTF-8 after \xHH decoding
  'malformed_line', // does not match the configured format at all
  'bad_timestamp', // timestamp field missing or unparseable
  'bad_client_ip', // neither the connecting address nor a trusted forwarded header yields an IP
  'bad_status', // status is not a 3-digit HTTP status
  'bad_number', // bytes / duration not a number
  'bad_json', // JSON line or envelope that does not parse
  'missing_field', // a JSON line without a mapped required field
  'bad_envelope', // shipper envelope without a usable `message`
  'store_rejected', // the ClickHouse server refused the row (after the batch was bisected to it)
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Pipeline stage that produced a dead letter. */
export const STAGES = ['source', 'decode', 'parse', 'client_ip', 'enrich', 'sink'] as const;
export type Stage = (typeof STAGES)[number];
