import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { formatFloorComparison, checkFloorTargets, type FloorComparison, type FloorTarget } from './floor-comparison';
import type { LoadResult } from './measure';
import type { PgbenchResult } from './pgbench';
import { runConditions } from './report';
import { figures, formatTable, percent, type TargetCheck } from './table';

/** The figures measured at one client count. */
export interface AdmissionRow {
  clients: number;
  /** Every admission names the same configuration. */
  hot: LoadResult;
  /** Admissions name the spread configurations in turn. */
  spread: LoadResult;
  /** pgbench UPDATE of one and the same row: the floor for the hot case. */
  pgbench: PgbenchResult;
  /** The bare floor's one-row INSERT at the same client count. */
  floorInsert: LoadResult;
  /** Events in the hot configuration's stream before and after this count's hot run. */
  hotStream: { before: number; after: number };
}

/**
 * How admissions on the hot configuration fare as its stream grows: the same single-client run
 * on the fresh configuration and again once every client count has added to it.
 */
export interface HotDrift {
  first: { result: LoadResult; streamEvents: number };
  last: { result: LoadResult; streamEvents: number };
  /** Reading the whole stream once, as each admission's decision does, timed from the bench process. */
  streamRead: { events: number; ms: number };
}

export interface AdmissionReport {
  spreadConfigurations: number;
  rows: AdmissionRow[];
  drift?: HotDrift;
}

export const hotToPgbench = (row: AdmissionRow) => row.hot.throughput / row.pgbench.tps;
const spreadToPgbench = (row: AdmissionRow) => row.spread.throughput / row.pgbench.tps;

/** Issue 14's target: admissions on one hot configuration against the floor's INSERT. */
const FLOOR_TARGETS: FloorTarget[] = [{ operation: 'AuthorizeLaunch (1 hot)', minRatio: 0.4, maxP99Ratio: 3 }];

const floorComparisons = (rows: AdmissionRow[]): FloorComparison[] =>
  rows.map((row) => ({
    operation: 'AuthorizeLaunch (1 hot)',
    clients: row.clients,
    product: row.hot,
    statement: 'INSERT',
    floor: row.floorInsert,
  }));

export function checkAdmissionTargets(rows: AdmissionRow[]): TargetCheck[] {
  return checkFloorTargets(floorComparisons(rows), FLOOR_TARGETS);
}

/** First and last second of the window: a falling rate shows state growing under the run. */
const edges = (result: LoadResult) => [
  String(result.perSecond[0] ?? 0),
  String(result.perSecond[result.perSecond.length - 1] ?? 0),
];

export function formatAdmissionReport({ spreadConfigurations, rows, drift }: AdmissionReport): string {
  const header = [
    'clients',
    'configurations',
    'Admit req/s',
    'p50 ms',
    'p99 ms',
    'err',
    '1st s',
    'last s',
    'pgbench UPDATE tps',
    'Admit/pgbench',
  ];
  const body = rows.flatMap((row) => [
    [
      String(row.clients),
      '1 hot',
      ...figures(row.hot),
      ...edges(row.hot),
      row.pgbench.tps.toFixed(0),
      percent(hotToPgbench(row)),
    ],
    [
      '',
      `${spreadConfigurations} spread`,
      ...figures(row.spread),
      ...edges(row.spread),
      '',
      percent(spreadToPgbench(row)),
    ],
  ]);
  const errors = rows.flatMap((row) =>
    [row.hot, row.spread]
      .filter((r) => r.firstError)
      .map((r) => `  first error at ${row.clients} clients: ${r.firstError}`),
  );
  const streams = rows
    .map((row) => `${row.clients} clients ${row.hotStream.before} -> ${row.hotStream.after}`)
    .join(', ');
  return [
    'AuthorizeLaunch through the gateway (SigV4, lean restJson client) vs pgbench UPDATE of one row on the same PostgreSQL',
    runConditions(rows[0]?.pgbench),
    '',
    ...formatTable(header, body),
    '',
    `configurations: "1 hot" = every admission names one configuration; "${spreadConfigurations} spread" = each names the next`,
    `of ${spreadConfigurations} configurations in turn. All in one account; every admission is a new instance id, so each reserves a licence.`,
    '1st s / last s: admissions completed in the first and last second of the measured window.',
    'Admit/pgbench compares both lines with the one-row UPDATE: the floor of the hot case, a yardstick for the spread one.',
    '',
    `Hot configuration's stream (events): ${streams}`,
    ...(drift ? formatDrift(drift) : []),
    '',
    formatFloorComparison(floorComparisons(rows), FLOOR_TARGETS),
    ...errors,
  ].join('\n');
}

function formatDrift({ first, last, streamRead }: HotDrift): string[] {
  const describe = (r: LoadResult) =>
    `${r.throughput.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms`;
  return [
    `Hot admissions at 1 client, stream at ${first.streamEvents} events: ${describe(first.result)}`,
    `Hot admissions at 1 client, stream at ${last.streamEvents} events: ${describe(last.result)} (${percent(last.result.throughput / first.result.throughput)} of the first)`,
    `Reading the hot stream whole (${streamRead.events} events) from the bench process: ${streamRead.ms.toFixed(1)} ms`,
  ];
}

export function writeAdmissionJsonReport(path: string, report: AdmissionReport): void {
  mkdirSync(dirname(path), { recursive: true });
  const json = {
    measuredAt: new Date().toISOString(),
    cores: availableParallelism(),
    node: process.version,
    spreadConfigurations: report.spreadConfigurations,
    rows: report.rows.map((row) => ({
      ...row,
      hotToPgbench: hotToPgbench(row),
      spreadToPgbench: spreadToPgbench(row),
    })),
    drift: report.drift,
    targets: checkAdmissionTargets(report.rows),
  };
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
}
