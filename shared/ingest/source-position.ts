/** Where a line came from: Kafka topic/partition/offset or file/line, plus the line index inside a multi-line message. */
export interface SourcePosition {
  /** `kafka:<topic>` or `file:<path>` */
  source: string;
  partition: number;
  /** Kafka offset or 1-based file line number */
  offset: bigint;
  /** index of the line within a multi-line Kafka message (0 for files) */
  lineIndex: number;
}

export function describePosition(p: SourcePosition): string {
  return p.source.startsWith('file:') ? `${p.source.slice(5)}:${p.offset}` : `${p.source}[${p.partition}]@${p.offset}#${p.lineIndex}`;
}
