import { describe, expect, it } from 'vitest';
import { parseLicenseRules, type CountingType } from '../src/configurations/domain/license-rules';

/** The guide's table: which rule is available for which counting type. */
const TABLE: Record<string, { value: string; types: CountingType[] }> = {
  licenseAffinityToHost: { value: '90', types: ['Core', 'Socket'] },
  maximumCores: { value: '16', types: ['Core', 'Instance'] },
  minimumCores: { value: '8', types: ['Core', 'Instance'] },
  maximumSockets: { value: '4', types: ['Instance', 'Socket'] },
  minimumSockets: { value: '1', types: ['Instance', 'Socket'] },
  maximumVcpus: { value: '64', types: ['Instance', 'vCPU'] },
  minimumVcpus: { value: '2', types: ['Instance', 'vCPU'] },
  allowedTenancy: { value: 'EC2-DedicatedHost', types: ['Core', 'Instance', 'Socket', 'vCPU'] },
  honorVcpuOptimization: { value: 'True', types: ['vCPU'] },
};
const COUNTING_TYPES: CountingType[] = ['vCPU', 'Instance', 'Core', 'Socket'];

describe('license rules by counting type', () => {
  for (const [rule, { value, types }] of Object.entries(TABLE)) {
    for (const countingType of COUNTING_TYPES) {
      const allowed = types.includes(countingType);
      it(`${rule} is ${allowed ? 'accepted' : 'refused'} for ${countingType}`, () => {
        const parse = () => parseLicenseRules([`#${rule}=${value}`], countingType);
        if (allowed) expect(parse()).toHaveLength(1);
        else expect(parse).toThrow(/not valid for counting type/);
      });
    }
  }

  it('requires dedicated hosts for cores and sockets, and accepts every tenancy otherwise', () => {
    for (const type of ['Core', 'Socket'] as const) {
      expect(() => parseLicenseRules(['#allowedTenancy=EC2-Default'], type)).toThrow(
        /requires tenancy EC2-DedicatedHost/,
      );
      expect(() => parseLicenseRules(['#allowedTenancy=EC2-DedicatedInstance'], type)).toThrow(/requires tenancy/);
    }
    for (const type of ['Instance', 'vCPU'] as const) {
      expect(
        parseLicenseRules(['#allowedTenancy=EC2-Default|EC2-DedicatedInstance|EC2-DedicatedHost'], type)[0],
      ).toEqual({
        name: 'allowedTenancy',
        value: ['EC2-Default', 'EC2-DedicatedInstance', 'EC2-DedicatedHost'],
      });
    }
    expect(() => parseLicenseRules(['#allowedTenancy=EC2-Shared'], 'vCPU')).toThrow(/not valid/);
  });

  it('checks value ranges, syntax, duplicates and min <= max', () => {
    expect(() => parseLicenseRules(['#licenseAffinityToHost=0'], 'Core')).toThrow(/from 1 to 180/);
    expect(() => parseLicenseRules(['#licenseAffinityToHost=181'], 'Core')).toThrow(/from 1 to 180/);
    expect(parseLicenseRules(['#licenseAffinityToHost=180'], 'Socket')[0].value).toBe(180);
    expect(() => parseLicenseRules(['#minimumVcpus=-2'], 'vCPU')).toThrow(/integer/);
    expect(() => parseLicenseRules(['#minimumVcpus=two'], 'vCPU')).toThrow(/integer/);
    expect(() => parseLicenseRules(['minimumVcpus=2'], 'vCPU')).toThrow(/#name=value/);
    expect(() => parseLicenseRules(['#colour=blue'], 'vCPU')).toThrow(/Unknown license rule/);
    expect(() => parseLicenseRules(['#honorVcpuOptimization=maybe'], 'vCPU')).toThrow(/True or False/);
    expect(() => parseLicenseRules(['#minimumVcpus=2', '#minimumVcpus=4'], 'vCPU')).toThrow(/more than once/);
    expect(() => parseLicenseRules(['#minimumCores=16', '#maximumCores=8'], 'Core')).toThrow(/greater than/);
    expect(parseLicenseRules(['#minimumCores=8', '#maximumCores=16'], 'Core')).toHaveLength(2);
  });
});
