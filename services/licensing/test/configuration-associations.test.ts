import { describe, expect, it } from 'vitest';
import { Random } from '../../../test/support/seeded-random';
import { ConfigurationAssociations, type Association } from '../src/configurations/domain/configuration-associations';
import type { LicenseConfigurationEvent } from '../src/configurations/domain/events';
import {
  evolveLicenseConfiguration,
  initialLicenseConfigurationState,
  type LicenseConfigurationState,
} from '../src/configurations/domain/license-configuration';

const instanceArn = (i: number) => `arn:aws:ec2:us-east-1:111111111111:instance/i-${i}`;

const association = (i: number, consumptionKey: string, consumedLicenses: number): Association => ({
  resourceArn: instanceArn(i),
  resourceType: 'EC2_INSTANCE',
  resourceOwnerId: '111111111111',
  associatedAt: '2026-01-01T00:00:00.000Z',
  consumptionKey,
  consumedLicenses,
});

/** The counting rule as written: per consumption key the largest consumption, summed. */
function countedFromScratch(associations: Iterable<Association>): number {
  const largest = new Map<string, number>();
  for (const a of associations)
    largest.set(a.consumptionKey, Math.max(largest.get(a.consumptionKey) ?? 0, a.consumedLicenses));
  return [...largest.values()].reduce((sum, units) => sum + units, 0);
}

const associated = (...list: Association[]) =>
  list.reduce((associations, a) => associations.with(a), ConfigurationAssociations.none);

/** The same operations on every run. */
const random = (seed: number) => {
  const generator = new Random(seed);
  return () => generator.next();
};

describe('ConfigurationAssociations', () => {
  it('counts the largest consumption of a consumption key once: instances on one Dedicated Host share it', () => {
    const onHost = associated(association(1, 'host/h-1', 48), association(2, 'host/h-1', 32));
    expect(onHost.consumedLicenses).toBe(48);
    const withOwnKeys = onHost.with(association(3, instanceArn(3), 4)).with(association(4, instanceArn(4), 2));
    expect(withOwnKeys.consumedLicenses).toBe(54);
    expect(withOwnKeys.size).toBe(4);
  });

  it('recounts a key when its largest member shrinks, moves to another key, or goes', () => {
    const onHost = associated(association(1, 'host/h-1', 48), association(2, 'host/h-1', 32));
    expect(onHost.with(association(1, 'host/h-1', 0)).consumedLicenses).toBe(32);
    expect(onHost.with(association(1, 'host/h-2', 48)).consumedLicenses).toBe(80);
    expect(onHost.without(instanceArn(1)).consumedLicenses).toBe(32);
    expect(onHost.without(instanceArn(1)).without(instanceArn(2))).toMatchObject({ size: 0, consumedLicenses: 0 });
    expect(onHost.without(instanceArn(9))).toBe(onHost);
  });

  it('tells what a change would count without making it', () => {
    const onHost = associated(association(1, 'host/h-1', 48), association(2, 'host/h-1', 32));
    expect(onHost.consumedLicensesWith(association(2, 'host/h-1', 64))).toBe(64);
    expect(onHost.consumedLicensesWith(association(1, 'host/h-1', 8))).toBe(32);
    expect(onHost.consumedLicensesWith(association(1, 'host/h-2', 16))).toBe(48);
    expect(onHost.consumedLicensesWith(association(3, instanceArn(3), 4))).toBe(52);
    expect(onHost.consumedLicenses).toBe(48);
    expect(onHost.get(instanceArn(1))?.consumedLicenses).toBe(48);
  });

  it('counts as the rule from scratch does through thousands of random changes, and leaves earlier values as they were', () => {
    const next = random(14);
    const pick = (n: number) => Math.floor(next() * n);
    const reference = new Map<string, Association>();
    let associations = ConfigurationAssociations.none;
    for (let step = 0; step < 5_000; step++) {
      const i = pick(400);
      // A third of the instances run on one of five hosts (a shared key), the others count alone.
      const change = association(i, i % 3 === 0 ? `host/h-${pick(5)}` : instanceArn(i), pick(3) === 0 ? 0 : pick(64));
      expect(associations.consumedLicensesWith(change)).toBe(
        countedFromScratch(new Map(reference).set(change.resourceArn, change).values()),
      );
      const before = { value: associations, consumed: associations.consumedLicenses, size: associations.size };
      if (next() < 0.7) {
        associations = associations.with(change);
        reference.set(change.resourceArn, change);
      } else {
        associations = associations.without(change.resourceArn);
        reference.delete(change.resourceArn);
      }
      expect([associations.consumedLicenses, associations.size]).toEqual([
        countedFromScratch(reference.values()),
        reference.size,
      ]);
      expect([before.value.consumedLicenses, before.value.size]).toEqual([before.consumed, before.size]);
    }
  });
});

describe('a configuration state with its associations', () => {
  const created: LicenseConfigurationEvent = {
    type: 'LicenseConfigurationCreated',
    data: {
      id: 'lic-1',
      arn: 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1',
      ownerAccountId: '111111111111',
      region: 'us-east-1',
      countingType: 'Core',
      tags: {},
      createdAt: '2026-01-01T00:00:00.000Z',
      name: 'c',
      hardLimit: true,
      licenseCount: 100,
      rules: [],
      productInformationList: [],
      disassociateWhenNotFound: false,
      status: 'AVAILABLE',
    },
  };
  const fold = (state: LicenseConfigurationState, events: LicenseConfigurationEvent[]) =>
    events.reduce(evolveLicenseConfiguration, state);
  const configurationOf = (state: LicenseConfigurationState) => {
    if (state.status !== 'present') throw new Error(`the configuration is ${state.status}`);
    return state.configuration;
  };

  it('stays as it was when pending events are evolved on it (a batch whose append is then refused)', () => {
    const cached = fold(initialLicenseConfigurationState(), [
      created,
      { type: 'ResourceAssociated', data: association(1, 'host/h-1', 48) },
    ]);
    const pending = fold(cached, [
      { type: 'ResourceAssociated', data: association(2, 'host/h-2', 32) },
      {
        type: 'AssociationConsumptionChanged',
        data: { resourceArn: instanceArn(1), consumedLicenses: 0, reason: 'stopped', at: '2026-01-02T00:00:00.000Z' },
      },
      {
        type: 'ResourceDisassociated',
        data: { resourceArn: instanceArn(2), reason: 'terminated', disassociatedAt: '2026-01-03T00:00:00.000Z' },
      },
    ]);

    expect(configurationOf(pending).associations).toMatchObject({ size: 1, consumedLicenses: 0 });
    const { associations } = configurationOf(cached);
    expect(associations).toMatchObject({ size: 1, consumedLicenses: 48 });
    expect(associations.get(instanceArn(1))?.consumedLicenses).toBe(48);
    expect(associations.has(instanceArn(2))).toBe(false);
  });
});
