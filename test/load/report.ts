import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { DEFAULT_DURATION_MS, DEFAULT_WARMUP_MS, type LoadResult } from './measure';
import type { PgbenchResult } from './pgbench';

/** The figures measured at one client count. */
export interface LoadRow {
  clients: number;
  /** Client i creates in account i. */
  create: LoadResult;
  /** Every client creates in the same account: the worst case. */
  createOneAccount: LoadResult;
  /** Client i reads configurations of account i. */
  get: LoadResult;
  pgbench: PgbenchResult;
}

export interface TargetCheck {
  name: string;
  /** The measured value, formatted. */
  actual: string;
  met: boolean;
}

/** The targets, checked at 16 clients when that row was measured. */
export function checkTargets(rows: LoadRow[]): TargetCheck[] {
  const at16 = rows.find((row) => row.clients === 16);
  if (!at16) return [];
  const ratio = createToPgbench(at16);
  return [
    { name: 'Create at 16 clients >= 25% of pgbench INSERT', actual: percent(ratio), met: ratio >= 0.25 },
    { name: 'Get p99 at 16 clients <= 10 ms', actual: `${at16.get.p99Ms.toFixed(1)} ms`, met: at16.get.p99Ms <= 10 },
  ];
}

export function createToPgbench(row: LoadRow, create: LoadResult = row.create): number {
  return create.throughput / row.pgbench.tps;
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

/** The measurement settings every report states under its title. */
export function runConditions(pgbench: PgbenchResult | undefined): string {
  return `(${availableParallelism()} cores; pgbench ran ${pgbench?.runner ?? '-'}; ${DEFAULT_WARMUP_MS / 1_000} s warm-up, ${DEFAULT_DURATION_MS / 1_000} s measured per figure)`;
}

export function formatReport(rows: LoadRow[]): string {
  const header = [
    'clients',
    'accounts',
    'Create req/s',
    'p50 ms',
    'p99 ms',
    'err',
    'Get req/s',
    'p50 ms',
    'p99 ms',
    'err',
    'pgbench tps',
    'Create/pgbench',
  ];
  // Under each client count, its single-account Create, without the figures it shares with the line above.
  const body = rows.flatMap((row) => [
    [
      String(row.clients),
      '1 per client',
      ...figures(row.create),
      ...figures(row.get),
      row.pgbench.tps.toFixed(0),
      percent(createToPgbench(row)),
    ],
    [
      '',
      '1 shared',
      ...figures(row.createOneAccount),
      '',
      '',
      '',
      '',
      '',
      percent(createToPgbench(row, row.createOneAccount)),
    ],
  ]);
  const targets = checkTargets(rows).map((t) => `  ${t.met ? 'PASS' : 'MISS'}  ${t.name}: ${t.actual}`);
  const errors = rows.flatMap((row) =>
    [row.create, row.createOneAccount, row.get]
      .filter((r) => r.firstError)
      .map((r) => `  first error at ${row.clients} clients: ${r.firstError}`),
  );
  return [
    'License configurations through the gateway (SigV4, lean awsJson client) vs pgbench one-row INSERT on the same PostgreSQL',
    runConditions(rows[0]?.pgbench),
    '',
    ...formatTable(header, body),
    '',
    'accounts: "1 per client" = client i creates and reads in account i; "1 shared" = every client creates in one',
    "account, whose quota counter serializes its creates (the worst case; not the target's figure).",
    '',
    'Targets:',
    ...targets,
    ...errors,
  ].join('\n');
}

export function writeJsonReport(path: string, rows: LoadRow[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const report = {
    measuredAt: new Date().toISOString(),
    cores: availableParallelism(),
    node: process.version,
    rows: rows.map((row) => ({
      ...row,
      createToPgbench: createToPgbench(row),
      createOneAccountToPgbench: createToPgbench(row, row.createOneAccount),
    })),
    targets: checkTargets(rows),
  };
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(0)}%`;
}
