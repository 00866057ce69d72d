import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { LicenseConfigurationCommand } from '../src/configurations/domain/commands';
import { licenseConfigurationDecider as decider } from '../src/configurations/domain/decide';
import type { LicenseConfigurationEvent } from '../src/configurations/domain/events';

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

const { given } = DeciderSpecification.for(decider);

describe('license configuration decider', () => {
  const [created] = given([]).when(create).decided();

  it('creates an AVAILABLE configuration owned by the caller', () => {
    given([])
      .when(create)
      .then((events) =>
        expect(events).toMatchObject([
          {
            type: 'LicenseConfigurationCreated',
            data: {
              arn,
              ownerAccountId: '111111111111',
              status: 'AVAILABLE',
              hardLimit: false,
              countingType: 'vCPU',
              licenseCount: 10,
            },
          },
        ]),
      );
  });

  it('refuses invalid settings', () => {
    const invalid = (input: Partial<typeof create.input>) =>
      given([]).when({ ...create, input: { ...create.input, ...input } as never });
    invalid({ LicenseCount: -1 }).thenThrows(/non-negative/);
    invalid({ Name: '  ' }).thenThrows(/Name/);
    invalid({ LicenseCount: undefined, LicenseCountHardLimit: true }).thenThrows(/LicenseCount/);
    invalid({ LicenseRules: ['#maximumCores=4'] }).thenThrows(/not valid for counting type vCPU/);
    invalid({ Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }).thenThrows(
      /at most 50 tags/,
    );
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
    }).thenThrows(/hard limit is not supported for RDS/);
  });

  it('keeps any long LicenseCount exactly, past 2 ** 53 - 1 as a bigint', () => {
    const withCount = (LicenseCount: bigint) => ({ ...create, input: { ...create.input, LicenseCount } });
    given([])
      .when(withCount(9223372036854775807n))
      .then((events) => expect(events[0].data).toMatchObject({ licenseCount: 9223372036854775807n }));
    given([created])
      .when({
        type: 'UpdateLicenseConfiguration',
        arn,
        accountId: '111111111111',
        now,
        input: { LicenseConfigurationArn: arn, LicenseCount: 9007199254740993n },
      })
      .then((events) => expect(events[0].data).toMatchObject({ changes: { licenseCount: 9007199254740993n } }));
    given([])
      .when(withCount(-9007199254740993n))
      .thenThrows(/non-negative/);
    given([])
      .when({ ...create, input: { ...create.input, LicenseExpiry: 9007199254740993n } })
      .thenThrows(/LicenseExpiry must be a positive Unix timestamp/);
  });

  it('lets only the owner change or delete it', () => {
    const otherAccount = { arn, accountId: '333333333333' };
    given([created])
      .when({ type: 'DeleteLicenseConfiguration', now, ...otherAccount })
      .thenThrows(/does not exist/);
    given([created])
      .when({ type: 'TagLicenseConfiguration', tags: [{ Key: 'k', Value: 'v' }], ...otherAccount })
      .thenThrows(/does not exist/);
    given([created])
      .when({ type: 'DeleteLicenseConfiguration', now, arn, accountId: '111111111111' })
      .then([
        {
          type: 'LicenseConfigurationDeleted',
          data: { ownerAccountId: '111111111111', region: 'us-east-1', deletedAt: now.toISOString() },
        },
      ]);
  });

  it('records only the members an update sets, and nothing is left after deletion', () => {
    given([created])
      .when({
        type: 'UpdateLicenseConfiguration',
        now,
        arn,
        accountId: '111111111111',
        input: { LicenseConfigurationArn: arn, LicenseConfigurationStatus: 'DISABLED' },
      })
      .then([
        {
          type: 'LicenseConfigurationUpdated',
          data: { changes: { status: 'DISABLED' }, updatedAt: now.toISOString() },
        },
      ]);
    const deleted: LicenseConfigurationEvent = {
      type: 'LicenseConfigurationDeleted',
      data: { ownerAccountId: '111111111111', region: 'us-east-1', deletedAt: now.toISOString() },
    };
    given([created, deleted])
      .when({
        type: 'UpdateLicenseConfiguration',
        now,
        arn,
        accountId: '111111111111',
        input: { LicenseConfigurationArn: arn, Name: 'x' },
      })
      .thenThrows(/does not exist/);
    given([created])
      .when({ ...create })
      .thenThrows(/already exists/);
  });

  it('untagging keys that are absent decides nothing', () => {
    given([created])
      .when({ type: 'UntagLicenseConfiguration', tagKeys: ['absent'], arn, accountId: '111111111111' })
      .thenNothing();
  });
});
