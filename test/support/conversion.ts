import { join } from 'node:path';
import { Client } from 'pg';
import { boto3Script } from './clients';
import { reportResources, type ObservedResource } from './inventory';
import type { RunningSystem } from './system';

type Account = { accountId: string; accessKeyId: string; secretAccessKey: string };

/** One call of the boto3 batch (test/e2e/conversion-boto3.py). */
export interface ConversionCall {
  name: string;
  op: string;
  params?: Record<string, unknown>;
  /** Follow NextToken and gather the tasks. */
  pages?: boolean;
}

export type ConversionCallResult = {
  result?: Record<string, any>;
  items?: Record<string, any>[];
  pages?: number;
  error?: { Code: string; Status: number; Message: string };
};

/** Runs the calls with boto3 in one python process, as `account`. */
export async function boto3Conversion(
  system: RunningSystem,
  account: Account,
  calls: ConversionCall[],
): Promise<Record<string, ConversionCallResult>> {
  const out = await boto3Script(system, account, join(__dirname, '../e2e/conversion-boto3.py'), [
    JSON.stringify(calls),
  ]);
  return JSON.parse(out);
}

/**
 * Reports instances through ReportResources, then waits until the conversion service's copy of
 * the inventory shows each as reported (its state and usage operation): what a conversion request
 * is checked against.
 */
export async function reportAndAwaitConversion(
  system: RunningSystem,
  instances: ObservedResource[],
): Promise<string[]> {
  const arns = await reportResources(system, instances);
  const db = new Client({ connectionString: system.databaseUrl });
  await db.connect();
  try {
    const deadline = Date.now() + 20_000;
    for (const instance of instances) {
      for (;;) {
        const { rows } = await db.query(
          `select 1 from conversion.inventory_instances where account_id = $1 and resource_id = $2
             and facts->>'state' = $3 and coalesce(facts->>'usageOperation', '') = $4`,
          [instance.accountId, instance.resourceId, instance.state, instance.usageOperation ?? ''],
        );
        if (rows.length > 0) break;
        if (Date.now() > deadline) throw new Error(`conversion did not see ${instance.resourceId} as reported`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    await db.end();
  }
  return arns;
}
