import type { LicenseManager } from '@lm/api-model';
import type { Decider } from '@lm/event-store';
import { clientTokenReused, redirectToHomeRegion, staleVersion } from '../../licenses/domain/errors';
import { notAuthorized, resourceNotFound, validation, withTags } from '@lm/contracts';
import type { GrantCommand } from './commands';
import type { GrantEvent } from './events';
import {
  evolveGrant,
  initialGrantState,
  nextVersion,
  type GrantAggregate,
  type GrantDocument,
  type GrantState,
} from './grant';
import { decideDistribution } from './distribution';
import { coveredAccounts, isGrantee, mayDistributeTo, parsePrincipal } from './principal';

/** Statuses after which a grant changes no more (but for the workflow that ends a PENDING_DELETE). */
const TERMINAL: ReadonlySet<LicenseManager.GrantStatus> = new Set(['REJECTED', 'DELETED', 'PENDING_DELETE']);

export const grantNotFound = (arn: string) => resourceNotFound(`Grant ${arn}`);

type Role = 'grantor' | 'grantee';

/** The caller's role in the grant; a stranger is told the grant does not exist. */
function roleOf(
  state: GrantState,
  command: Extract<GrantCommand, { caller: unknown }>,
  arn: string,
): { aggregate: GrantAggregate; role: Role } {
  if (state.status !== 'present') throw grantNotFound(arn);
  const { aggregate } = state;
  if (aggregate.grantorAccountId === command.caller.accountId) return { aggregate, role: 'grantor' };
  if (isGrantee(aggregate.principal, command.caller)) return { aggregate, role: 'grantee' };
  throw grantNotFound(arn);
}

function assertChangeable(grant: GrantDocument, region: string): void {
  if (grant.HomeRegion !== region) throw redirectToHomeRegion(grant.HomeRegion);
  if (TERMINAL.has(grant.GrantStatus))
    throw validation(`Grant ${grant.GrantArn} is ${grant.GrantStatus}: it can no longer change.`);
}

function assertOperations(
  operations: LicenseManager.AllowedOperation[],
  parentOperations: LicenseManager.AllowedOperation[] | undefined,
): void {
  if (operations.length === 0) throw validation('AllowedOperations must name at least one operation.');
  if (new Set(operations).size !== operations.length) throw validation('AllowedOperations names an operation twice.');
  const beyond = parentOperations ? operations.filter((op) => !parentOperations.includes(op)) : [];
  if (beyond.length > 0)
    throw validation(
      `AllowedOperations cannot exceed those of the grant distributed to you; not allowed: ${beyond.join(', ')}.`,
    );
}

function assertName(name: string): void {
  if (!name.trim()) throw validation('GrantName must not be empty.');
}

function decideCreate(command: Extract<GrantCommand, { type: 'CreateGrant' }>, state: GrantState): GrantEvent[] {
  if (state.status !== 'absent') throw validation(`Grant ${command.arn} already exists.`);
  const { input, license, caller } = command;
  if (input.HomeRegion !== license.homeRegion)
    throw validation(`HomeRegion must be the licence's home Region, ${license.homeRegion}.`);
  if (license.homeRegion !== command.region) throw redirectToHomeRegion(license.homeRegion);
  if (license.deleted) throw validation(`License ${license.licenseArn} is deleted: it cannot be granted.`);
  if (input.Principals.length !== 1) throw validation('Principals must name exactly one principal.');
  assertName(input.GrantName);
  assertOperations(input.AllowedOperations, command.parent?.grantedOperations);
  withTags([], input.Tags ?? []);
  const principal = parsePrincipal(input.Principals[0]);
  if (!mayDistributeTo(principal, caller)) {
    throw validation(
      'Only the management account of an organization can grant to the organization or its organizational units.',
    );
  }
  if (principal.kind === 'account' && principal.accountId === caller.accountId)
    throw validation('A grant cannot be made to your own account.');
  // The guide: an account accepts a grant itself, unless it comes from the management account of
  // its organization once that account linked the organization. An organization or OU grant is
  // distributed (PENDING_WORKFLOW) as one sub-grant per account it covers now.
  const coveredAccountIds = principal.kind === 'account' ? undefined : coveredAccounts(principal, caller);
  const status: LicenseManager.GrantStatus = coveredAccountIds
    ? 'PENDING_WORKFLOW'
    : command.autoAccepted
      ? 'DISABLED'
      : 'PENDING_ACCEPT';
  const { clientToken, requestHash } = command;
  return [
    {
      type: 'GrantCreated',
      data: {
        grant: {
          GrantArn: command.arn,
          GrantName: input.GrantName,
          ParentArn: command.parent?.grantArn ?? license.licenseArn,
          LicenseArn: license.licenseArn,
          GranteePrincipalArn: input.Principals[0],
          HomeRegion: input.HomeRegion,
          GrantStatus: status,
          Version: '1',
          GrantedOperations: input.AllowedOperations,
        },
        grantorAccountId: caller.accountId,
        principal,
        licenseIssuerAccountId: license.issuerAccountId,
        licenseIssuerName: license.issuerName,
        productSku: license.productSku,
        createdAt: command.now.toISOString(),
        coveredAccountIds,
        tags: input.Tags ?? [],
        clientToken,
        requestHash,
      },
    },
  ];
}

function decideVersion(
  command: Extract<GrantCommand, { type: 'CreateGrantVersion' }>,
  state: GrantState,
): GrantEvent[] {
  const { input } = command;
  const { aggregate, role } = roleOf(state, command, input.GrantArn);
  const previous = aggregate.clientTokens[command.clientToken];
  if (previous) {
    if (previous.requestHash !== command.requestHash) throw clientTokenReused(command.clientToken);
    return [];
  }
  const { grant } = aggregate;
  assertChangeable(grant, command.region);
  if (input.SourceVersion !== undefined && input.SourceVersion !== grant.Version) {
    throw staleVersion(`Grant ${grant.GrantArn}`, input.SourceVersion, grant.Version);
  }
  if ((input.GrantName !== undefined || input.AllowedOperations !== undefined) && role !== 'grantor') {
    throw notAuthorized('Only the grantor can change the name or the operations of a grant.');
  }
  if (input.GrantName !== undefined) assertName(input.GrantName);
  if (input.AllowedOperations !== undefined) assertOperations(input.AllowedOperations, command.parentOperations);
  if (input.Options && input.Status !== 'ACTIVE')
    throw validation('Options apply to an activation only (Status ACTIVE).');
  const version = nextVersion(grant);
  const at = command.now.toISOString();
  const events: GrantEvent[] = [
    {
      type: 'GrantVersionCreated',
      data: {
        grantArn: grant.GrantArn,
        version,
        at,
        grantName: input.GrantName ?? grant.GrantName,
        grantedOperations: input.AllowedOperations ?? grant.GrantedOperations,
        statusReason: input.StatusReason,
        options: input.Options,
        clientToken: command.clientToken,
        requestHash: command.requestHash,
      },
    },
  ];
  if (input.Status === undefined || input.Status === grant.GrantStatus) return events;
  if (input.Status !== 'ACTIVE' && input.Status !== 'DISABLED') {
    throw validation(
      `CreateGrantVersion activates (ACTIVE) or deactivates (DISABLED) a grant; ${input.Status} is reached with AcceptGrant, RejectGrant or DeleteGrant.`,
    );
  }
  if (aggregate.principal.kind !== 'account') {
    // A distributed grant keeps its status: the activation applies to each of its sub-grants.
    if (grant.GrantStatus === 'WORKFLOW_COMPLETED') return events;
    throw validation(
      `Grant ${grant.GrantArn} is ${grant.GrantStatus}: only a distributed grant (WORKFLOW_COMPLETED) activates or deactivates its sub-grants.`,
    );
  }
  if (grant.GrantStatus !== 'ACTIVE' && grant.GrantStatus !== 'DISABLED') {
    throw validation(
      `Grant ${grant.GrantArn} is ${grant.GrantStatus}: the grantee accepts it (AcceptGrant) before it can be activated or deactivated.`,
    );
  }
  if (input.Status === 'DISABLED')
    return [...events, { type: 'GrantDisabled', data: { grantArn: grant.GrantArn, version, at } }];
  const override = input.Options?.ActivationOverrideBehavior;
  if (command.activeForSameProduct.length > 0 && override !== 'ALL_GRANTS_PERMITTED_BY_ISSUER') {
    throw validation(
      `Grant ${command.activeForSameProduct[0]} is already ACTIVE for product ${aggregate.productSku}: deactivate it first, or activate with Options.ActivationOverrideBehavior ALL_GRANTS_PERMITTED_BY_ISSUER to replace it.`,
    );
  }
  return [
    ...events,
    { type: 'GrantActivated', data: { grantArn: grant.GrantArn, version, at, activationOverrideBehavior: override } },
  ];
}

/** Accepting or rejecting is the grantee's answer to a grant that awaits it. */
function decideAnswer(
  command: Extract<GrantCommand, { type: 'AcceptGrant' | 'RejectGrant' }>,
  state: GrantState,
): GrantEvent[] {
  const { arn } = command;
  const { aggregate, role } = roleOf(state, command, arn);
  const { grant } = aggregate;
  if (role !== 'grantee') throw notAuthorized('Only the grantee can accept or reject a grant.');
  assertChangeable(grant, command.region);
  if (grant.GrantStatus !== 'PENDING_ACCEPT')
    throw validation(`Grant ${arn} is ${grant.GrantStatus}, not PENDING_ACCEPT: there is nothing to accept or reject.`);
  const change = { grantArn: arn, version: nextVersion(grant), at: command.now.toISOString() };
  if (command.type === 'RejectGrant') return [{ type: 'GrantRejected', data: change }];
  // The guide: "Choose Accept license. The resulting grant status is Disabled. When you are ready
  // to use the license, choose Activate license" (CreateGrantVersion with Status ACTIVE).
  return [{ type: 'GrantAccepted', data: change }];
}

function decideDelete(command: Extract<GrantCommand, { type: 'DeleteGrant' }>, state: GrantState): GrantEvent[] {
  const { arn } = command;
  const { aggregate, role } = roleOf(state, command, arn);
  const { grant } = aggregate;
  if (role !== 'grantor') throw notAuthorized('Only the grantor can delete a grant.');
  if (grant.HomeRegion !== command.region) throw redirectToHomeRegion(grant.HomeRegion);
  if (grant.GrantStatus === 'DELETED') throw validation(`Grant ${arn} is already deleted.`);
  if (grant.GrantStatus === 'PENDING_DELETE') throw validation(`Grant ${arn} is already being deleted.`);
  if (command.version !== grant.Version) throw staleVersion(`Grant ${arn}`, command.version, grant.Version);
  const change = {
    grantArn: arn,
    version: nextVersion(grant),
    at: command.now.toISOString(),
    statusReason: command.statusReason,
  };
  // A grant that is (being) distributed has sub-grants to recall first; the workflow then deletes it.
  const distributing = grant.GrantStatus === 'PENDING_WORKFLOW' || grant.GrantStatus === 'WORKFLOW_COMPLETED';
  return [distributing ? { type: 'GrantDeletionStarted', data: change } : { type: 'GrantDeleted', data: change }];
}

export function decideGrant(command: GrantCommand, state: GrantState): GrantEvent[] {
  switch (command.type) {
    case 'CreateGrant':
      return decideCreate(command, state);
    case 'CreateGrantVersion':
      return decideVersion(command, state);
    case 'AcceptGrant':
    case 'RejectGrant':
      return decideAnswer(command, state);
    case 'DeleteGrant':
      return decideDelete(command, state);
    case 'TagGrant':
    case 'UntagGrant': {
      const { aggregate, role } = roleOf(state, command, command.arn);
      if (role !== 'grantor') throw notAuthorized('Only the grantor can tag a grant.');
      if (command.type === 'TagGrant') {
        withTags(aggregate.tags, command.tags);
        return [{ type: 'GrantTagged', data: { grantArn: command.arn, tags: command.tags } }];
      }
      const present = command.tagKeys.filter((key) => aggregate.tags.some((tag) => tag.Key === key));
      return present.length === 0 ? [] : [{ type: 'GrantUntagged', data: { grantArn: command.arn, tagKeys: present } }];
    }
    case 'ReplaceGrant': {
      if (state.status !== 'present' || state.aggregate.grant.GrantStatus !== 'ACTIVE') return [];
      const { grant } = state.aggregate;
      return [
        {
          type: 'GrantReplaced',
          data: {
            grantArn: grant.GrantArn,
            version: nextVersion(grant),
            at: command.now.toISOString(),
            byGrantArn: command.byGrantArn,
          },
        },
      ];
    }
    case 'CreateSubGrant':
    case 'CompleteDistribution':
    case 'FailDistribution':
    case 'RecallSubGrant':
    case 'CompleteDeletion':
      return decideDistribution(command, state);
  }
}

export const grantDecider: Decider<GrantCommand, GrantEvent, GrantState> = {
  initialState: initialGrantState,
  evolve: evolveGrant,
  decide: decideGrant,
};

const STREAM_PREFIX = 'grant-';

export const grantStream = (id: string) => `${STREAM_PREFIX}${id}`;
