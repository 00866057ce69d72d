import type { Caller } from '@lm/contracts';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { GrantViews } from './grant.views';

/** Any query over the grants table (alone or joined). */
type OverGrants = ExpressionBuilder<GrantViews, 'grants'>;

/**
 * Grants the caller's account received. An organization or OU grant covers nobody itself: its
 * distribution gave each account it covered a sub-grant of its own.
 */
export function coveringCaller(eb: OverGrants, caller: Caller): Expression<SqlBool> {
  return eb('grants.grantee_account_id', '=', caller.accountId);
}

/** Grants received by any account of the organization the caller manages. */
export function coveringOrganization(
  eb: OverGrants,
  organization: NonNullable<Caller['organization']>,
): Expression<SqlBool> {
  return eb('grants.grantee_account_id', 'in', organization.memberAccountIds ?? [organization.managementAccountId]);
}
