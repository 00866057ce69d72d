/**
 * What the inventory says of an instance that a conversion reads (the service's copy of
 * discovery's ResourceObserved); `null`: never reported.
 */
export interface InstanceFacts {
  resourceId: string;
  state: string;
  usageOperation: string | null;
  /** The marketplace product codes' ids, sorted. */
  productCodes: string[];
  platform: string | null;
  platformVersion: string | null;
  vCpuCount: number | null;
  tenancy: string | null;
  imageOwner: string | null;
  ssmManaged: boolean | null;
  stopProtection: boolean | null;
  observedAt: string;
}
