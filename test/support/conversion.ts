import { connectedClient } from './test-database';
import { boto3Batch, type Boto3Call, type Boto3CallResult } from './clients';
import { reportResources, type ObservedResource } from './inventory';
import type { RunningSystem } from './system';

type Account = { accountId: string; accessKeyId: string; secretAccessKey: string };

export type ConversionCall = Boto3Call;
export type ConversionCallResult = Boto3CallResult;

/** Runs license-manager (conversion) calls with boto3 in one python process, as `account`. */
export const boto3Conversion = (system: RunningSystem, account: Account, calls: ConversionCall[]) =>
  boto3Batch(system, account, 'license-manager', calls);

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
  const db = await connectedClient(system.databaseUrl);
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
