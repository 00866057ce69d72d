import type { Agent } from 'node:http';
import type { Floor } from './floor';
import { expectOk } from './load-checks';
import { runLoad, type LoadOptions, type LoadResult } from './measure';
import { figures, formatTable, percent, type TargetCheck } from './table';
import { SignedHttpClient, type AccessKey } from './signed-http-client';

/** The floor's two statements, measured at one client count. */
export interface FloorFigures {
  clients: number;
  /** One-row INSERT per request. */
  insert: LoadResult;
  /** One-row SELECT by primary key per request, of rows the INSERTs made. */
  select: LoadResult;
}

const floorClient = (floor: Floor, credentials: AccessKey, agent: Agent) =>
  new SignedHttpClient({ endpoint: floor.endpoint, region: 'us-east-1', credentials, agent });

/**
 * The floor's INSERT at `clients`, with the load client the product's figures use (it signs each
 * request as it does for the gateway); `ids` are the rows it made.
 */
export async function measureFloorInsert(
  floor: Floor,
  clients: number,
  credentials: AccessKey,
  agent: Agent,
  windows: Omit<LoadOptions, 'clients'> = {},
): Promise<{ result: LoadResult; ids: string[] }> {
  const client = floorClient(floor, credentials, agent);
  const ids: string[] = [];
  const result = await runLoad(
    async () => {
      const body = expectOk(await client.call('CreateLicenseConfiguration', { Name: 'floor', LicenseCount: 1 }));
      ids.push(JSON.parse(body).LicenseConfigurationArn);
    },
    { clients, ...windows },
  );
  return { result, ids };
}

/** The floor's INSERT and then its SELECT of the rows the INSERTs made, at `clients` (each in `windows`, the default ones unless given). */
export async function measureFloor(
  floor: Floor,
  clients: number,
  credentials: AccessKey,
  agent: Agent,
  windows: Omit<LoadOptions, 'clients'> = {},
): Promise<FloorFigures> {
  const { result: insert, ids } = await measureFloorInsert(floor, clients, credentials, agent, windows);
  const client = floorClient(floor, credentials, agent);
  const select = await runLoad(
    async () => {
      expectOk(
        await client.call('GetLicenseConfiguration', {
          LicenseConfigurationArn: ids[Math.floor(Math.random() * ids.length)],
        }),
      );
    },
    { clients, ...windows },
  );
  return { clients, insert, select };
}

/** One operation of the product beside the floor statement it is compared with, at one client count. */
export interface FloorComparison {
  operation: string;
  clients: number;
  product: LoadResult;
  statement: 'INSERT' | 'SELECT';
  floor: LoadResult;
}

/** An issue-14 target: at 16 clients, throughput at least `minRatio` of the floor's, p99 at most `maxP99Ratio` times. */
export interface FloorTarget {
  operation: string;
  minRatio: number;
  maxP99Ratio?: number;
}

export const throughputRatio = (row: FloorComparison) => row.product.throughput / row.floor.throughput;
export const p99Ratio = (row: FloorComparison) => row.product.p99Ms / row.floor.p99Ms;

export function checkFloorTargets(rows: FloorComparison[], targets: FloorTarget[]): TargetCheck[] {
  return targets.flatMap((target) => {
    const row = rows.find((r) => r.operation === target.operation && r.clients === 16);
    if (!row) return [];
    const checks: TargetCheck[] = [
      {
        name: `${target.operation} at 16 clients >= ${percent(target.minRatio)} of the floor's ${row.statement}`,
        actual: percent(throughputRatio(row)),
        met: throughputRatio(row) >= target.minRatio,
      },
    ];
    if (target.maxP99Ratio !== undefined)
      checks.push({
        name: `${target.operation} p99 at 16 clients <= ${target.maxP99Ratio}x the floor's`,
        actual: `${p99Ratio(row).toFixed(1)}x (${row.product.p99Ms.toFixed(1)} vs ${row.floor.p99Ms.toFixed(1)} ms)`,
        met: p99Ratio(row) <= target.maxP99Ratio,
      });
    return checks;
  });
}

/** The product beside the floor, a line per operation and client count, then the targets. */
export function formatFloorComparison(rows: FloorComparison[], targets: FloorTarget[]): string {
  const header = [
    'operation',
    'clients',
    'req/s',
    'p50 ms',
    'p99 ms',
    'err',
    'floor',
    'req/s',
    'p50 ms',
    'p99 ms',
    'err',
    'product/floor',
    'p99 x',
  ];
  const body = rows.map((row) => [
    row.operation,
    String(row.clients),
    ...figures(row.product),
    row.statement,
    ...figures(row.floor),
    percent(throughputRatio(row)),
    p99Ratio(row).toFixed(1),
  ]);
  return [
    'The product beside the bare floor (plain HTTP server -> NATS request/reply -> plain responder, one statement),',
    'same run, same load client:',
    '',
    ...formatTable(header, body),
    '',
    'Targets (issue 14):',
    ...checkFloorTargets(rows, targets).map((t) => `  ${t.met ? 'PASS' : 'MISS'}  ${t.name}: ${t.actual}`),
  ].join('\n');
}
