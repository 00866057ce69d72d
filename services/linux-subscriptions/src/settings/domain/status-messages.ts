import type { DiscoveryStep } from '@lm/contracts';

/** The guide's failure reasons of a Region's onboarding ("<Scope>-Onboard: Failed - <reason>"). */
export const FAILURE_REASONS = {
  internalError: 'An internal error occurred',
  notManagementAccount: "Account isn't the management account",
  notInOrganization: "Account isn't part of an organization",
  organizationNotAccessible: "Linux subscriptions can't access the organization",
} as const;

/** One status reason as the guide writes it: "Account-Onboard: Pending", "Org-Onboard: Failed - <reason>". */
export function stepMessage(step: DiscoveryStep): string {
  const state = step.state === 'Failed' ? `Failed - ${step.failureReason}` : step.state;
  return `${step.scope}-${step.direction}: ${state}`;
}

/** A Region's StatusMessage: its status reasons (at most two, the guide says), then any notes, joined by "; ". */
export const regionMessage = (steps: readonly DiscoveryStep[], notes: readonly string[] = []): string =>
  [...steps.map(stepMessage), ...notes].join('; ');
