import type { LicenseManager } from '@lm/api-model';
import type { ResourceFacts } from '../../shared/resource';

type Filter = LicenseManager.ProductInformationFilter;
type Application = NonNullable<ResourceFacts['applications']>[number];

/** Which inventory resources a product's resource type covers (SSM inventory: EC2 and managed instances). */
const COVERED: Record<string, readonly ResourceFacts['resourceType'][]> = {
  SSM_MANAGED: ['EC2_INSTANCE', 'SYSTEMS_MANAGER_MANAGED_INSTANCE'],
  RDS: ['RDS'],
};

const APPLICATION_FILTERS: Record<string, (app: Application) => string | null | undefined> = {
  'Application Name': (app) => app.name,
  'Application Publisher': (app) => app.publisher,
  'Application Version': (app) => app.version,
  // RDS reports its license packs as applications.
  'License Pack': (app) => app.name,
};

const values = (filter: Filter) => filter.ProductInformationFilterValue ?? [];

/** Platform type as Systems Manager names it. */
const platformType = (platform: string | undefined) =>
  platform === undefined ? undefined : /windows/i.test(platform) ? 'Windows' : 'Linux';

/** A filter about the resource as a whole (platform, license included, and the exclusions). */
function resourceFilterHolds(filter: Filter, resource: ResourceFacts): boolean {
  const name = filter.ProductInformationFilterName;
  const wanted = values(filter);
  const equals = filter.ProductInformationFilterComparator === 'EQUALS';
  if (name === 'Platform Name' || name === 'Engine Edition')
    return resource.platform !== undefined && wanted.includes(resource.platform);
  if (name === 'Platform Type') return wanted.includes(platformType(resource.platform) ?? '');
  if (name === 'License Included') {
    const included = (resource.licenseIncluded ?? []).some((value) => wanted.includes(value));
    return equals ? included : !included;
  }
  // Exclusions: the resource is left out when it belongs to the account, or carries the tag.
  if (name === 'AccountId') return !wanted.includes(resource.accountId);
  if (name.startsWith('Tag:')) {
    const value = resource.tags?.[name.slice('Tag:'.length)];
    const tagged = value !== undefined && (wanted.length === 0 || wanted.includes(value));
    return !tagged;
  }
  return false;
}

/**
 * Whether a resource runs one of the products of a configuration's ProductInformationList:
 * every filter of a product must hold, with the application filters met by one same application.
 */
export function matchesProductInformation(
  products: readonly LicenseManager.ProductInformation[],
  resource: ResourceFacts,
): boolean {
  return products.some((product) => {
    if (!COVERED[product.ResourceType]?.includes(resource.resourceType)) return false;
    const filters = product.ProductInformationFilterList;
    const applicationFilters = filters.filter((f) => f.ProductInformationFilterName in APPLICATION_FILTERS);
    const resourceFilters = filters.filter((f) => !(f.ProductInformationFilterName in APPLICATION_FILTERS));
    if (!resourceFilters.every((filter) => resourceFilterHolds(filter, resource))) return false;
    if (applicationFilters.length === 0) return true;
    return (resource.applications ?? []).some((app) =>
      applicationFilters.every((filter) =>
        values(filter).includes(APPLICATION_FILTERS[filter.ProductInformationFilterName](app) ?? ''),
      ),
    );
  });
}

/** Exclusion filters: the guide allows them only with cross-account discovery. */
export function hasExclusionRules(products: readonly LicenseManager.ProductInformation[]): boolean {
  return products.some((product) =>
    product.ProductInformationFilterList.some(
      (f) => f.ProductInformationFilterName === 'AccountId' || f.ProductInformationFilterName.startsWith('Tag:'),
    ),
  );
}

/**
 * Whether a configuration's automated discovery rules exclude an instance whose license type now
 * includes `licenseIncluded` (after a license type conversion): every rule (SSM_MANAGED product)
 * has a License Included NOT_EQUALS filter naming one of them. The guide's example: two rules that
 * each exclude license-included Windows Server do; one such rule out of two does not.
 */
export function licenseIncludedRulesExclude(
  products: readonly LicenseManager.ProductInformation[],
  licenseIncluded: readonly string[],
): boolean {
  const rules = products.filter((product) => product.ResourceType === 'SSM_MANAGED');
  return (
    rules.length > 0 &&
    rules.every((rule) =>
      rule.ProductInformationFilterList.some(
        (filter) =>
          filter.ProductInformationFilterName === 'License Included' &&
          filter.ProductInformationFilterComparator === 'NOT_EQUALS' &&
          values(filter).some((value) => licenseIncluded.includes(value)),
      ),
    )
  );
}
