import { describe, expect, it } from 'vitest';
import { CredentialStore } from '../../src/identity/credential-store';

const store = new CredentialStore({
  accounts: [
    {
      accountId: '111111111111',
      organizationId: 'o-test',
      accessKeys: [{ accessKeyId: 'AKIAMANAGEMENT', secretAccessKey: 's1' }],
    },
    {
      accountId: '222222222222',
      organizationId: 'o-test',
      organizationalUnitId: 'ou-child',
      accessKeys: [{ accessKeyId: 'AKIAMEMBER', secretAccessKey: 's2' }],
    },
    { accountId: '333333333333', accessKeys: [{ accessKeyId: 'AKIAOUTSIDER', secretAccessKey: 's3' }] },
  ],
  organizations: [
    {
      id: 'o-test',
      managementAccountId: '111111111111',
      rootId: 'r-root',
      organizationalUnits: [
        { id: 'ou-parent', parentId: 'r-root' },
        { id: 'ou-child', parentId: 'ou-parent' },
      ],
    },
  ],
});

describe('CredentialStore callers', () => {
  it("tells the management account its organization's accounts with their OU paths, and a member its own place only", () => {
    expect(store.callerFor('AKIAMANAGEMENT', 'us-east-1').organization).toEqual({
      id: 'o-test',
      managementAccountId: '111111111111',
      rootId: 'r-root',
      organizationalUnitPath: ['r-root'],
      memberAccountIds: ['111111111111', '222222222222'],
      memberAccounts: [
        { accountId: '111111111111', organizationalUnitPath: ['r-root'] },
        { accountId: '222222222222', organizationalUnitPath: ['ou-child', 'ou-parent', 'r-root'] },
      ],
    });
    expect(store.callerFor('AKIAMEMBER', 'us-east-1').organization).toEqual({
      id: 'o-test',
      managementAccountId: '111111111111',
      rootId: 'r-root',
      organizationalUnitPath: ['ou-child', 'ou-parent', 'r-root'],
    });
    expect(store.callerFor('AKIAOUTSIDER', 'us-east-1').organization).toBeUndefined();
  });
});
