import type { Caller } from '@lm/contracts';

/** Who sends a report, which decides the accounts it may report for. */
export type Reporter =
  /** A signed ReportResources request through the gateway. */
  | { kind: 'caller'; caller: Caller }
  /** A report published on NATS: the bus is trusted and has no signed caller, so each resource names its account. */
  | { kind: 'bus'; region: string };

export type AccountDecision = { accountId: string } | { refused: string };

/**
 * The account a reported resource belongs to. A caller reports for itself; the management
 * account of an organization may also report for its member accounts.
 */
export function reportingAccount(reporter: Reporter, accountId: string | undefined): AccountDecision {
  if (reporter.kind === 'bus') {
    return accountId ? { accountId } : { refused: 'AccountId is required for a report published on NATS.' };
  }
  const { caller } = reporter;
  if (accountId === undefined || accountId === caller.accountId) return { accountId: caller.accountId };
  const organization = caller.organization;
  if (organization?.managementAccountId === caller.accountId && organization.memberAccountIds?.includes(accountId))
    return { accountId };
  return { refused: `Account ${caller.accountId} may not report resources of account ${accountId}.` };
}

export function reportingRegion(reporter: Reporter): string {
  return reporter.kind === 'bus' ? reporter.region : reporter.caller.region;
}
