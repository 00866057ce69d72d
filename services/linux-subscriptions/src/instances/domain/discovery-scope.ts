/**
 * An account's Linux subscription discovery as its settings say: its SourceRegions and, when it is
 * an organization's management account with OrganizationIntegration, the organization's accounts.
 */
export interface DiscoveryScope {
  accountId: string;
  sourceRegions: readonly string[];
  /** Present with organization integration: every account of the organization (the management one included or not). */
  organizationAccountIds?: readonly string[];
}

/** An account in a Region. */
export interface AccountRegion {
  accountId: string;
  region: string;
}

/**
 * What `viewer` sees: its own instances in its SourceRegions, and with organization integration its
 * organization's accounts' in those Regions (the guide: "aggregates data from accounts across your
 * organization"). A member account sees its own only, and only with its own discovery on.
 */
export function visibleTo(scope: DiscoveryScope | undefined): AccountRegion[] {
  if (!scope) return [];
  const accounts = new Set([scope.accountId, ...(scope.organizationAccountIds ?? [])]);
  return [...accounts].flatMap((accountId) => scope.sourceRegions.map((region) => ({ accountId, region })));
}

/** Every account and Region some account's discovery covers: whose instances are discovered. */
export function coveredBy(scopes: readonly DiscoveryScope[]): AccountRegion[] {
  const pairs = new Map(scopes.flatMap(visibleTo).map((pair) => [`${pair.accountId}/${pair.region}`, pair]));
  return [...pairs.values()];
}
