import { AwsError } from '@lm/contracts';
import type { LicenseConfigurationAggregate } from '../../configurations/domain/license-configuration';
import {
  parseLicenseRules,
  type CountingType,
  type LicenseRule,
  type Tenancy,
} from '../../configurations/domain/license-rules';
import type { ResourceFacts, ResourceType } from '../../shared/resource';

/** Which resource types each counting type can count (the guide: managed instances and RDS count vCPUs or instances only). */
const COUNTABLE: Record<ResourceType, readonly CountingType[]> = {
  EC2_INSTANCE: ['vCPU', 'Instance', 'Core', 'Socket'],
  EC2_HOST: ['Core', 'Socket'],
  EC2_AMI: ['vCPU', 'Instance', 'Core', 'Socket'],
  SYSTEMS_MANAGER_MANAGED_INSTANCE: ['vCPU', 'Instance'],
  RDS: ['vCPU'],
};

const TENANCY_NAMES: Record<NonNullable<ResourceFacts['tenancy']>, Tenancy> = {
  default: 'EC2-Default',
  dedicated: 'EC2-DedicatedInstance',
  host: 'EC2-DedicatedHost',
};

/** A configuration refused a resource: which one is kept, so that the refusal can be put on its record. */
export class LicenseUsageRefused extends AwsError {
  constructor(
    readonly licenseConfigurationArn: string,
    reason: string,
  ) {
    super('LicenseUsageException', `License configuration ${licenseConfigurationArn} cannot be used: ${reason}`);
  }
}

export const licenseUsageRefused = (configuration: LicenseConfigurationAggregate, reason: string) =>
  new LicenseUsageRefused(configuration.arn, reason);

export interface Consumption {
  consumptionKey: string;
  /** Licences the resource takes while it runs. */
  units: number;
}

function tenancyOf(resource: ResourceFacts): Tenancy {
  if (resource.resourceType === 'EC2_HOST') return 'EC2-DedicatedHost';
  return TENANCY_NAMES[resource.tenancy ?? 'default'];
}

/** vCPUs as counted: with honorVcpuOptimization, the cores times threads the instance was given. */
function vcpus(resource: ResourceFacts, rules: LicenseRule[]): number | undefined {
  const optimized = rules.some((rule) => rule.name === 'honorVcpuOptimization' && rule.value === true);
  if (optimized && resource.coreCount !== undefined && resource.threadsPerCore !== undefined) {
    return resource.coreCount * resource.threadsPerCore;
  }
  return resource.vCpuCount;
}

function required(
  configuration: LicenseConfigurationAggregate,
  resource: ResourceFacts,
  what: string,
  value: number | undefined,
): number {
  if (value === undefined)
    throw licenseUsageRefused(configuration, `the inventory does not report the ${what} of ${resource.resourceArn}.`);
  return value;
}

/**
 * What a resource consumes of a configuration, after checking every rule of the configuration
 * against it (counting type, tenancy, minimum and maximum vCPUs, cores and sockets). `host` is the
 * Dedicated Host an instance runs on, when the inventory knows it: cores and sockets are counted
 * on the host.
 */
export function consumptionOf(
  configuration: LicenseConfigurationAggregate,
  resource: ResourceFacts,
  host?: ResourceFacts,
): Consumption {
  const type = configuration.countingType;
  if (!COUNTABLE[resource.resourceType].includes(type)) {
    throw licenseUsageRefused(configuration, `a ${resource.resourceType} cannot be counted by ${type}.`);
  }
  // An AMI consumes nothing itself: the instances launched from it do, and are checked then.
  if (resource.resourceType === 'EC2_AMI') return { consumptionKey: resource.resourceArn, units: 0 };

  const rules = parseLicenseRules(configuration.rules, type);
  const tenancy = tenancyOf(resource);
  const allowed = rules.find((rule) => rule.name === 'allowedTenancy')?.value as Tenancy[] | undefined;
  if (allowed && !allowed.includes(tenancy))
    throw licenseUsageRefused(configuration, `tenancy ${tenancy} is not allowed (${allowed.join(', ')}).`);
  if ((type === 'Core' || type === 'Socket') && tenancy !== 'EC2-DedicatedHost') {
    throw licenseUsageRefused(
      configuration,
      `${type} counting needs a Dedicated Host, and ${resource.resourceArn} is not on one.`,
    );
  }

  const counted = host ?? resource;
  const measures = {
    Vcpus: () => required(configuration, resource, 'vCPU count', vcpus(resource, rules)),
    Cores: () => required(configuration, counted, 'core count', counted.coreCount),
    Sockets: () => required(configuration, counted, 'socket count', counted.socketCount),
  };
  for (const rule of rules) {
    const match = /^(minimum|maximum)(Vcpus|Cores|Sockets)$/.exec(rule.name);
    if (!match) continue;
    const measure = match[2] as keyof typeof measures;
    const actual = measures[measure]();
    const limit = rule.value as number;
    if (match[1] === 'minimum' ? actual < limit : actual > limit) {
      // Cores and sockets are the host's: the refusal names whose number it is.
      const measured =
        measure !== 'Vcpus' && counted !== resource
          ? `${counted.resourceArn} (${actual}), the Dedicated Host of ${resource.resourceArn}`
          : `${resource.resourceArn} (${actual})`;
      throw licenseUsageRefused(configuration, `rule ${rule.name}=${limit} is not met by ${measured}.`);
    }
  }

  switch (type) {
    case 'Instance':
      return { consumptionKey: resource.resourceArn, units: 1 };
    case 'vCPU':
      return { consumptionKey: resource.resourceArn, units: measures.Vcpus() };
    case 'Core':
    case 'Socket':
      return { consumptionKey: hostKey(resource), units: type === 'Core' ? measures.Cores() : measures.Sockets() };
  }
}

/** Instances on one Dedicated Host share its licences: they are counted on the host. */
function hostKey(resource: ResourceFacts): string {
  if (resource.resourceType === 'EC2_HOST') return `host/${resource.resourceId}`;
  return resource.hostId ? `host/${resource.hostId}` : resource.resourceArn;
}
