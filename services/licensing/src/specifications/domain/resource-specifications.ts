import { createHash } from 'node:crypto';
import type { CataloguedEvents } from '@lm/contracts';

/** A configuration a resource is associated with, as UpdateLicenseSpecificationsForResource takes it. */
export interface LicenseSpecification {
  licenseConfigurationArn: string;
  amiAssociationScope?: string;
}

/** The license specifications of one resource: which configurations it is associated with. */
export interface ResourceSpecifications {
  resourceArn: string;
  specifications: Record<string, LicenseSpecification>;
}

export type ResourceSpecificationsEvent = {
  type: 'LicenseSpecificationsUpdated';
  data: { resourceArn: string; added: LicenseSpecification[]; removed: string[]; updatedAt: string };
};

export type ResourceSpecificationsState = ResourceSpecifications | undefined;

/** Relayed to lm.events.licensing.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'licensing', ResourceSpecificationsEvent>;

/** The guide's quota: at most 10 self-managed licenses per resource. */
export const MAX_SPECIFICATIONS_PER_RESOURCE = 10;

export function evolveResourceSpecifications(
  state: ResourceSpecificationsState,
  event: ResourceSpecificationsEvent,
): ResourceSpecificationsState {
  const specifications = { ...(state?.specifications ?? {}) };
  for (const arn of event.data.removed) delete specifications[arn];
  for (const added of event.data.added) specifications[added.licenseConfigurationArn] = added;
  return { resourceArn: event.data.resourceArn, specifications };
}

/** Resource ARNs hold characters stream names had better not: the stream is named by a digest. */
export const resourceSpecificationsStream = (resourceArn: string) =>
  `resource-license-specifications-${createHash('sha256').update(resourceArn).digest('hex').slice(0, 40)}`;
