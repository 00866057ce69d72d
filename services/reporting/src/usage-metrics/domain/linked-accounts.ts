import type { Caller } from '@lm/contracts';

/**
 * CloudWatch's cross-account observability as an organization has it here: its management account
 * is the monitoring account and every other member account a source account linked to it. The
 * accounts whose metrics the caller reads besides its own (none for any other account).
 */
export function linkedSourceAccounts(caller: Caller): string[] {
  const organization = caller.organization;
  if (!organization || organization.managementAccountId !== caller.accountId) return [];
  return (organization.memberAccountIds ?? []).filter((accountId) => accountId !== caller.accountId);
}

/** Whether the caller reads the metrics of `accountId`: its own, or a source account's when it is the monitoring account. */
export function readsAccount(caller: Caller, accountId: string): boolean {
  return accountId === caller.accountId || linkedSourceAccounts(caller).includes(accountId);
}
