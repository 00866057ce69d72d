import type { LoadResult } from './measure';

/** A target of an issue, as measured. */
export interface TargetCheck {
  name: string;
  /** The measured value, formatted. */
  actual: string;
  met: boolean;
}

/** A result's req/s, p50 ms, p99 ms and errors, as table cells. */
export const figures = (result: LoadResult) => [
  result.throughput.toFixed(0),
  result.p50Ms.toFixed(1),
  result.p99Ms.toFixed(1),
  String(result.errors),
];

/** The lines of a table whose columns are right-aligned to their widest cell, two spaces apart. */
export function formatTable(header: string[], body: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column])).join('  ');
  return [line(header), ...body.map(line)];
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(0)}%`;
}
