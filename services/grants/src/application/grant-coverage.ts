import type { Caller } from '@lm/messaging';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { GrantsDatabase } from '../infra/database/schema';

/** Any query over the grants table (alone or joined). */
type OverGrants = ExpressionBuilder<GrantsDatabase, 'grants'>;

/**
 * Grants whose principal covers the caller: its account, its organization, or its OU or an OU
 * it is nested in. Membership is the caller's as the gateway knows it at this request, so a
 * change of organization takes effect at once.
 */
export function coveringCaller(eb: OverGrants, caller: Caller): Expression<SqlBool> {
  const organization = caller.organization;
  const alternatives = [eb('grants.grantee_account_id', '=', caller.accountId)];
  if (organization) {
    alternatives.push(
      eb.and([
        eb('grants.grantee_organization_id', '=', organization.id),
        eb.or([eb('grants.grantee_ou_id', 'is', null), eb('grants.grantee_ou_id', 'in', organization.organizationalUnitPath)]),
      ]),
    );
  }
  return eb.or(alternatives);
}

/** Grants received by any account of the organization the caller manages. */
export function coveringOrganization(eb: OverGrants, organization: NonNullable<Caller['organization']>): Expression<SqlBool> {
  return eb.or([
    eb('grants.grantee_organization_id', '=', organization.id),
    eb('grants.grantee_account_id', 'in', organization.memberAccountIds ?? [organization.managementAccountId]),
  ]);
}
