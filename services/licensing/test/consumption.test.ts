import { describe, expect, it } from 'vitest';
import { ConfigurationAssociations } from '../src/configurations/domain/configuration-associations';
import type { LicenseConfigurationAggregate } from '../src/configurations/domain/license-configuration';
import type { CountingType } from '../src/configurations/domain/license-rules';
import { consumptionOf } from '../src/specifications/domain/consumption';
import type { ResourceFacts } from '../src/shared/resource';

const configuration = (countingType: CountingType, rules: string[]): LicenseConfigurationAggregate => ({
  id: 'lic-1',
  arn: 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1',
  ownerAccountId: '111111111111',
  region: 'us-east-1',
  countingType,
  tags: {},
  createdAt: '2026-01-01T00:00:00Z',
  name: 'c',
  hardLimit: false,
  rules,
  productInformationList: [],
  disassociateWhenNotFound: false,
  status: 'AVAILABLE',
  associations: ConfigurationAssociations.none,
});

/** An instance on a Dedicated Host: 8 vCPUs (4 cores x 2 threads), 2 sockets. */
const instance: ResourceFacts = {
  resourceArn: 'arn:aws:ec2:us-east-1:111111111111:instance/i-1',
  resourceId: 'i-1',
  resourceType: 'EC2_INSTANCE',
  accountId: '111111111111',
  region: 'us-east-1',
  state: 'running',
  vCpuCount: 8,
  coreCount: 4,
  threadsPerCore: 2,
  socketCount: 2,
  tenancy: 'host',
  hostId: 'h-1',
  active: true,
};

/**
 * Every rule the guide's table allows for a counting type, once with a bound the instance meets
 * and once with one it does not: the first consumes, the second is refused naming the rule.
 */
const TABLE: { type: CountingType; rule: string; met: string; broken: string }[] = [
  { type: 'vCPU', rule: 'minimumVcpus', met: '8', broken: '9' },
  { type: 'vCPU', rule: 'maximumVcpus', met: '8', broken: '7' },
  { type: 'vCPU', rule: 'allowedTenancy', met: 'EC2-DedicatedHost', broken: 'EC2-Default' },
  { type: 'Instance', rule: 'minimumVcpus', met: '2', broken: '16' },
  { type: 'Instance', rule: 'maximumVcpus', met: '16', broken: '2' },
  { type: 'Instance', rule: 'minimumCores', met: '4', broken: '5' },
  { type: 'Instance', rule: 'maximumCores', met: '4', broken: '3' },
  { type: 'Instance', rule: 'minimumSockets', met: '2', broken: '3' },
  { type: 'Instance', rule: 'maximumSockets', met: '2', broken: '1' },
  { type: 'Instance', rule: 'allowedTenancy', met: 'EC2-DedicatedHost', broken: 'EC2-DedicatedInstance' },
  { type: 'Core', rule: 'minimumCores', met: '4', broken: '8' },
  { type: 'Core', rule: 'maximumCores', met: '4', broken: '2' },
  { type: 'Socket', rule: 'minimumSockets', met: '1', broken: '4' },
  { type: 'Socket', rule: 'maximumSockets', met: '2', broken: '1' },
];

const UNITS: Record<CountingType, number> = { vCPU: 8, Instance: 1, Core: 4, Socket: 2 };

describe('rules enforced at association, by counting type', () => {
  for (const { type, rule, met, broken } of TABLE) {
    it(`${type}: #${rule}=${met} admits, #${rule}=${broken} refuses`, () => {
      const rules = (value: string) =>
        (type === 'Core' || type === 'Socket') && rule !== 'allowedTenancy'
          ? [`#${rule}=${value}`, '#allowedTenancy=EC2-DedicatedHost']
          : [`#${rule}=${value}`];
      expect(consumptionOf(configuration(type, rules(met)), instance).units).toBe(UNITS[type]);
      expect(() => consumptionOf(configuration(type, rules(broken)), instance)).toThrow(
        rule === 'allowedTenancy' ? /tenancy/ : new RegExp(`${rule}=${broken}`),
      );
    });
  }

  it('counts optimized vCPUs, and cores and sockets on the host', () => {
    expect(
      consumptionOf(configuration('vCPU', ['#honorVcpuOptimization=True']), {
        ...instance,
        coreCount: 2,
        threadsPerCore: 1,
      }).units,
    ).toBe(2);
    const host: ResourceFacts = {
      ...instance,
      resourceArn: 'arn:aws:ec2:us-east-1:111111111111:dedicated-host/h-1',
      resourceId: 'h-1',
      resourceType: 'EC2_HOST',
      coreCount: 48,
      socketCount: 4,
    };
    expect(consumptionOf(configuration('Core', []), instance, host)).toEqual({ consumptionKey: 'host/h-1', units: 48 });
    expect(consumptionOf(configuration('Socket', []), host)).toEqual({ consumptionKey: 'host/h-1', units: 4 });
    expect(() =>
      consumptionOf(configuration('Core', []), { ...instance, tenancy: 'default', hostId: undefined }),
    ).toThrow(/Dedicated Host/);
  });

  it("names the host when the host's cores or sockets break a rule, and the instance for its own vCPUs", () => {
    const host: ResourceFacts = {
      ...instance,
      resourceArn: 'arn:aws:ec2:us-east-1:111111111111:dedicated-host/h-1',
      resourceId: 'h-1',
      resourceType: 'EC2_HOST',
      coreCount: 48,
      socketCount: 4,
    };
    const refusal = (type: CountingType, rule: string) => {
      try {
        consumptionOf(configuration(type, [rule]), { ...instance, vCpuCount: 24, coreCount: 12 }, host);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`${rule} was met`);
    };
    expect(refusal('Core', '#maximumCores=16')).toContain(
      `rule maximumCores=16 is not met by ${host.resourceArn} (48), the Dedicated Host of ${instance.resourceArn}.`,
    );
    expect(refusal('Socket', '#maximumSockets=2')).toContain(
      `is not met by ${host.resourceArn} (4), the Dedicated Host of ${instance.resourceArn}.`,
    );
    expect(refusal('Instance', '#maximumVcpus=16')).toContain(`is not met by ${instance.resourceArn} (24).`);
  });

  it('refuses resources its counting type cannot count, or whose inventory lacks a count', () => {
    expect(() =>
      consumptionOf(configuration('Core', []), { ...instance, resourceType: 'SYSTEMS_MANAGER_MANAGED_INSTANCE' }),
    ).toThrow(/cannot be counted by Core/);
    expect(() => consumptionOf(configuration('Instance', []), { ...instance, resourceType: 'RDS' })).toThrow(
      /cannot be counted by Instance/,
    );
    expect(() => consumptionOf(configuration('vCPU', []), { ...instance, vCpuCount: undefined })).toThrow(
      /does not report the vCPU count/,
    );
  });
});
