/** A Kafka message value → its log lines (one line, several lines, or a shipper's JSON envelope). */
import type { Rejection } from '../model/parsed-line.js';

export type DecodedItem = { ok: true; line: string; lineIndex: number } | { ok: false; rejection: Rejection; raw: string; lineIndex: number };

export type MessageDecoder = (value: Buffer) => DecodedItem[];
