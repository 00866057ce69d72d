import { parseTimestamp, type Extensions } from '@lm/api-model';
import type { ReportedAttributes } from '../domain/inventory-resource/commands';

/** JSON null is taken as "not given", as the AWS protocols take it. */
const given = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** A resource of a ReportResources body as the domain's report of its attributes. */
export function toReportedAttributes(resource: Extensions.ReportedResource): ReportedAttributes {
  return {
    state: resource.State,
    platform: given(resource.Platform),
    platformVersion: given(resource.PlatformVersion),
    usageOperation: given(resource.UsageOperation),
    instanceType: given(resource.InstanceType),
    vCpuCount: given(resource.VCpuCount),
    coreCount: given(resource.CoreCount),
    socketCount: given(resource.SocketCount),
    threadsPerCore: given(resource.ThreadsPerCore),
    tenancy: given(resource.Tenancy),
    hostId: given(resource.HostId),
    amiId: given(resource.AmiId),
    licenseIncluded: given(resource.LicenseIncluded),
    tags: resource.Tags ? Object.fromEntries(resource.Tags.map((tag) => [tag.Key, tag.Value ?? ''])) : undefined,
    applications: resource.Applications?.map((a) => ({
      name: a.Name,
      version: a.Version ?? null,
      publisher: a.Publisher ?? null,
    })),
    subnetId: given(resource.SubnetId),
    productCodes: resource.ProductCodes?.map((code) => ({
      productCodeId: code.ProductCodeId,
      productCodeType: code.ProductCodeType ?? null,
    })),
    billingProducts: given(resource.BillingProducts),
    stopProtection: given(resource.StopProtection),
    imageOwner: given(resource.ImageOwner),
    ssmManaged: given(resource.SsmManaged),
  };
}

/**
 * ObservedAt as the JSON protocols carry timestamps: epoch seconds, or an ISO 8601 date-time
 * (which the model declares and integrators write by hand). Validation has made sure it is one.
 */
export function observedAtOf(resource: Extensions.ReportedResource): Date | undefined {
  return parseTimestamp(resource.ObservedAt);
}
