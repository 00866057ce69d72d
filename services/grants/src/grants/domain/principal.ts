import type { Caller, GrantPrincipal } from '@lm/contracts';
import { validation } from '@lm/contracts';

/** Whom a grant is for (part of the contract: GrantCreated carries it). */
export type { GrantPrincipal } from '@lm/contracts';

const ACCOUNT = /^arn:aws:iam::(\d{12}):root$/;
const ORGANIZATION = /^arn:aws:organizations::(\d{12}):organization\/(o-[a-z0-9]{4,32})$/;
const ORGANIZATIONAL_UNIT = /^arn:aws:organizations::(\d{12}):ou\/(o-[a-z0-9]{4,32})\/(ou-[a-z0-9-]{4,64})$/;

/** The account an account principal names; undefined for any other principal. */
export const principalAccountId = (arn: string) => ACCOUNT.exec(arn)?.[1];

/** The CLI and API take principals as ARNs only (the console also takes ids). */
export function parsePrincipal(arn: string): GrantPrincipal {
  let match = ACCOUNT.exec(arn);
  if (match) return { kind: 'account', accountId: match[1] };
  match = ORGANIZATION.exec(arn);
  if (match) return { kind: 'organization', managementAccountId: match[1], organizationId: match[2] };
  match = ORGANIZATIONAL_UNIT.exec(arn);
  if (match) return { kind: 'ou', managementAccountId: match[1], organizationId: match[2], ouId: match[3] };
  throw validation(
    `Principal ${arn} is not an account (arn:aws:iam::<account>:root), an organization (arn:aws:organizations::<management account>:organization/o-...) or an OU (arn:aws:organizations::<management account>:ou/o-.../ou-...).`,
  );
}

/**
 * Whether the grant is the caller's own: an account grant to its account. An organization or OU
 * grant covers nobody itself; each account it covers receives a sub-grant of its own.
 */
export const isGrantee = (principal: GrantPrincipal, caller: Caller) =>
  principal.kind === 'account' && principal.accountId === caller.accountId;

/**
 * The accounts an organization or OU grant covers: every member account of the organization, or
 * those whose OU path passes through the OU (nested OUs included), but not the grantor's own.
 */
export function coveredAccounts(principal: Exclude<GrantPrincipal, { kind: 'account' }>, caller: Caller): string[] {
  const members = caller.organization?.memberAccounts ?? [];
  return members
    .filter((member) => principal.kind === 'organization' || member.organizationalUnitPath.includes(principal.ouId))
    .map((member) => member.accountId)
    .filter((accountId) => accountId !== caller.accountId);
}

/** Only an organization's management account distributes to the organization or its OUs. */
export function mayDistributeTo(principal: GrantPrincipal, caller: Caller): boolean {
  if (principal.kind === 'account') return true;
  const organization = caller.organization;
  return (
    organization !== undefined &&
    organization.managementAccountId === caller.accountId &&
    principal.managementAccountId === caller.accountId &&
    principal.organizationId === organization.id
  );
}
