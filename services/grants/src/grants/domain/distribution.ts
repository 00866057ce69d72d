import type { GrantCommand } from './commands';
import type { GrantEvent } from './events';
import { nextVersion, type GrantState } from './grant';

type DistributionCommand = Extract<
  GrantCommand,
  { type: 'CreateSubGrant' | 'CompleteDistribution' | 'FailDistribution' | 'RecallSubGrant' | 'CompleteDeletion' }
>;

/** A sub-grant's ClientToken: one per parent and account, so that no account receives two. */
export const subGrantClientToken = (parentArn: string, accountId: string) => `${parentArn}/${accountId}`;

/**
 * The steps of the distribution workflow of an organization or OU grant, decided by the grants
 * service itself. Each decides on the current state and does nothing when its step is done, so a
 * step replayed after a restart changes nothing.
 */
export function decideDistribution(command: DistributionCommand, state: GrantState): GrantEvent[] {
  const at = command.now.toISOString();
  if (command.type === 'CreateSubGrant') return state.status === 'absent' ? subGrantCreated(command, at) : [];
  if (state.status !== 'present') return [];
  const { grant } = state.aggregate;
  const change = { grantArn: grant.GrantArn, version: nextVersion(grant), at };
  switch (command.type) {
    case 'CompleteDistribution':
      return grant.GrantStatus === 'PENDING_WORKFLOW'
        ? [{ type: 'GrantDistributed', data: { ...change, subGrantArns: command.subGrantArns } }]
        : [];
    case 'FailDistribution':
      return grant.GrantStatus === 'PENDING_WORKFLOW'
        ? [{ type: 'GrantDistributionFailed', data: { ...change, statusReason: command.statusReason } }]
        : [];
    case 'RecallSubGrant':
      return grant.GrantStatus === 'DELETED'
        ? []
        : [{ type: 'GrantDeleted', data: { ...change, statusReason: `Recalled with ${command.parentArn}.` } }];
    case 'CompleteDeletion':
      return grant.GrantStatus === 'PENDING_DELETE'
        ? [{ type: 'GrantDeleted', data: { ...change, statusReason: grant.StatusReason } }]
        : [];
  }
}

/**
 * The sub-grant of one covered account: the parent's licence and operations, from the parent's
 * grantor. Grants within an organization with all features are accepted automatically (DISABLED),
 * to be activated by the grantor or the account.
 */
function subGrantCreated(command: Extract<GrantCommand, { type: 'CreateSubGrant' }>, at: string): GrantEvent[] {
  const { parent, accountId } = command;
  const { grant } = parent;
  return [
    {
      type: 'GrantCreated',
      data: {
        grant: {
          GrantArn: command.arn,
          GrantName: grant.GrantName,
          ParentArn: grant.GrantArn,
          LicenseArn: grant.LicenseArn,
          GranteePrincipalArn: `arn:aws:iam::${accountId}:root`,
          HomeRegion: grant.HomeRegion,
          GrantStatus: 'DISABLED',
          Version: '1',
          GrantedOperations: grant.GrantedOperations,
        },
        grantorAccountId: parent.grantorAccountId,
        principal: { kind: 'account', accountId },
        licenseIssuerAccountId: parent.licenseIssuerAccountId,
        licenseIssuerName: parent.licenseIssuerName,
        productSku: parent.productSku,
        createdAt: at,
        tags: [],
        clientToken: subGrantClientToken(grant.GrantArn, accountId),
        requestHash: '',
      },
    },
  ];
}
