import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { DEFAULT_DURATION_MS, DEFAULT_WARMUP_MS, type LoadResult } from './measure';
import {
  checkFloorTargets,
  formatFloorComparison,
  type FloorComparison,
  type FloorFigures,
  type FloorTarget,
} from './floor-comparison';
import type { PgbenchResult } from './pgbench';
import { figures, formatTable, percent, type TargetCheck } from './table';

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
  /** The bare floor's INSERT and SELECT at the same client count. */
  floor: FloorFigures;
}

/** Issue 14's targets for configurations: Create over accounts against INSERT, Get against SELECT. */
const FLOOR_TARGETS: FloorTarget[] = [
  { operation: 'CreateLicenseConfiguration', minRatio: 0.5 },
  { operation: 'GetLicenseConfiguration', minRatio: 0.6, maxP99Ratio: 2 },
];

/** Create (one account per client) and Get beside the floor's INSERT and SELECT. */
function floorComparisons(rows: LoadRow[]): FloorComparison[] {
  return [
    ...rows.map((row) => ({
      operation: 'CreateLicenseConfiguration',
      clients: row.clients,
      product: row.create,
      statement: 'INSERT' as const,
      floor: row.floor.insert,
    })),
    ...rows.map((row) => ({
      operation: 'GetLicenseConfiguration',
      clients: row.clients,
      product: row.get,
      statement: 'SELECT' as const,
      floor: row.floor.select,
    })),
  ];
}

export function checkTargets(rows: LoadRow[]): TargetCheck[] {
  return checkFloorTargets(floorComparisons(rows), FLOOR_TARGETS);
}

export function createToPgbench(row: LoadRow, create: LoadResult = row.create): number {
  return create.throughput / row.pgbench.tps;
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
    formatFloorComparison(floorComparisons(rows), FLOOR_TARGETS),
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
