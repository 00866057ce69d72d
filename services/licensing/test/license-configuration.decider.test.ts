import { describe, expect, it } from 'vitest';
import type { LicenseConfigurationCommand } from '../src/domain/license-configuration/commands';
import { licenseConfigurationDecider as decider } from '../src/domain/license-configuration/decide';
import type { LicenseConfigurationEvent } from '../src/domain/license-configuration/events';

const now = new Date('2026-01-01T00:00:00Z');
const arn = 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-00000000000000000000000000000001';
const create: LicenseConfigurationCommand = {
  type: 'CreateLicenseConfiguration',
  id: 'lic-00000000000000000000000000000001',
  arn,
  accountId: '111111111111',
  region: 'us-east-1',
  now,
  input: { Name: 'sql', LicenseCountingType: 'vCPU', LicenseCount: 10, LicenseRules: ['#minimumVcpus=2'] },
};

/** given events, when a command: the events decided (or the error thrown). */
function given(...events: LicenseConfigurationEvent[]) {
  const state = events.reduce(decider.evolve, decider.initialState());
  return { when: (command: LicenseConfigurationCommand) => () => decider.decide(command, state) };
}

describe('license configuration decider', () => {
  const [created] = decider.decide(create, decider.initialState());

  it('creates an AVAILABLE configuration owned by the caller', () => {
    expect(created).toMatchObject({
      type: 'LicenseConfigurationCreated',
      data: {
        arn,
        ownerAccountId: '111111111111',
        status: 'AVAILABLE',
        hardLimit: false,
        countingType: 'vCPU',
        licenseCount: 10,
      },
    });
  });

  it('refuses invalid settings', () => {
    const invalid = (input: Partial<typeof create.input>) =>
      given().when({ ...create, input: { ...create.input, ...input } as never });
    expect(invalid({ LicenseCount: -1 })).toThrow(/non-negative/);
    expect(invalid({ Name: '  ' })).toThrow(/Name/);
    expect(invalid({ LicenseCount: undefined, LicenseCountHardLimit: true })).toThrow(/LicenseCount/);
    expect(invalid({ LicenseRules: ['#maximumCores=4'] })).toThrow(/not valid for counting type vCPU/);
    expect(invalid({ Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) })).toThrow(
      /at most 50 tags/,
    );
    expect(
      invalid({
        LicenseCountHardLimit: true,
        LicenseRules: [],
        ProductInformationList: [
          {
            ResourceType: 'RDS',
            ProductInformationFilterList: [
              {
                ProductInformationFilterName: 'Engine Edition',
                ProductInformationFilterValue: ['oracle-ee'],
                ProductInformationFilterComparator: 'EQUALS',
              },
            ],
          },
        ],
      }),
    ).toThrow(/hard limit is not supported for RDS/);
  });

  it('lets only the owner change or delete it', () => {
    const otherAccount = { arn, accountId: '333333333333' };
    expect(given(created).when({ type: 'DeleteLicenseConfiguration', now, ...otherAccount })).toThrow(/does not exist/);
    expect(
      given(created).when({ type: 'TagLicenseConfiguration', tags: [{ Key: 'k', Value: 'v' }], ...otherAccount }),
    ).toThrow(/does not exist/);
    expect(given(created).when({ type: 'DeleteLicenseConfiguration', now, arn, accountId: '111111111111' })()).toEqual([
      {
        type: 'LicenseConfigurationDeleted',
        data: { ownerAccountId: '111111111111', region: 'us-east-1', deletedAt: now.toISOString() },
      },
    ]);
  });

  it('records only the members an update sets, and nothing is left after deletion', () => {
    const [updated] = given(created).when({
      type: 'UpdateLicenseConfiguration',
      now,
      arn,
      accountId: '111111111111',
      input: { LicenseConfigurationArn: arn, LicenseConfigurationStatus: 'DISABLED' },
    })();
    expect(updated).toEqual({
      type: 'LicenseConfigurationUpdated',
      data: { changes: { status: 'DISABLED' }, updatedAt: now.toISOString() },
    });
    const deleted: LicenseConfigurationEvent = {
      type: 'LicenseConfigurationDeleted',
      data: { ownerAccountId: '111111111111', region: 'us-east-1', deletedAt: now.toISOString() },
    };
    expect(
      given(created, deleted).when({
        type: 'UpdateLicenseConfiguration',
        now,
        arn,
        accountId: '111111111111',
        input: { LicenseConfigurationArn: arn, Name: 'x' },
      }),
    ).toThrow(/does not exist/);
    expect(given(created).when({ ...create })).toThrow(/already exists/);
  });

  it('untagging keys that are absent decides nothing', () => {
    expect(
      given(created).when({ type: 'UntagLicenseConfiguration', tagKeys: ['absent'], arn, accountId: '111111111111' })(),
    ).toEqual([]);
  });
});
