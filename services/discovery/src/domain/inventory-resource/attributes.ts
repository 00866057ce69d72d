import { NOTHING_REPORTED } from '@lm/contracts';
import type { ReportedAttributes } from './commands';
import type { Application, ResourceAttributes } from './events';

/** Code-unit order: the same on every machine, whatever its locale. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const compareApplications = (a: Application, b: Application) =>
  byText(a.name, b.name) || byText(a.version ?? '', b.version ?? '') || byText(a.publisher ?? '', b.publisher ?? '');

/**
 * The attributes after a report: what it gives replaces, what it leaves out stays. Lists are
 * sorted and de-duplicated and tags keyed in order, so that the order a reporter happens to
 * list things in is never taken for a change.
 */
export function mergeReport(current: ResourceAttributes | undefined, reported: ReportedAttributes): ResourceAttributes {
  const defined = Object.fromEntries(Object.entries(reported).filter(([, value]) => value !== undefined));
  const merged = { ...NOTHING_REPORTED, ...(current && attributesOf(current)), ...defined } as ResourceAttributes;
  const applications = new Map(merged.applications.map((a) => [JSON.stringify([a.name, a.version, a.publisher]), a]));
  return {
    ...merged,
    licenseIncluded: [...new Set(merged.licenseIncluded)].sort(),
    tags: Object.fromEntries(Object.entries(merged.tags).sort(([a], [b]) => byText(a, b))),
    applications: [...applications.values()].sort(compareApplications),
    productCodes: [...new Map((merged.productCodes ?? []).map((code) => [code.productCodeId, code])).values()].sort(
      (a, b) => byText(a.productCodeId, b.productCodeId),
    ),
    billingProducts: [...new Set(merged.billingProducts ?? [])].sort(byText),
  };
}

/** Only the attributes of a resource (its identity and bookkeeping left out), in one key order. */
export function attributesOf(resource: ResourceAttributes): ResourceAttributes {
  const { state, platform, platformVersion, usageOperation, instanceType, vCpuCount, coreCount, socketCount } =
    resource;
  const { threadsPerCore, tenancy, hostId, amiId, licenseIncluded, tags, applications } = resource;
  // Absent from what events of v1 recorded before they existed: the same as never reported.
  const subnetId = resource.subnetId ?? null;
  const productCodes = resource.productCodes ?? [];
  const billingProducts = resource.billingProducts ?? [];
  const stopProtection = resource.stopProtection ?? null;
  const imageOwner = resource.imageOwner ?? null;
  const ssmManaged = resource.ssmManaged ?? null;
  return {
    state,
    platform,
    platformVersion,
    usageOperation,
    instanceType,
    vCpuCount,
    coreCount,
    socketCount,
    threadsPerCore,
    tenancy,
    hostId,
    amiId,
    licenseIncluded,
    tags,
    applications,
    subnetId,
    productCodes,
    billingProducts,
    stopProtection,
    imageOwner,
    ssmManaged,
  };
}

/** Canonical attributes compare equal exactly when their JSON is equal. */
export function sameAttributes(a: ResourceAttributes, b: ResourceAttributes): boolean {
  return JSON.stringify(attributesOf(a)) === JSON.stringify(attributesOf(b));
}
