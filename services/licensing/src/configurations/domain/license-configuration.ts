import type { LicenseConfigurationCreatedData, ResourceAssociatedData } from '@lm/contracts';
import type { LicenseConfigurationEvent } from './events';

/** A configuration as created: the data of its LicenseConfigurationCreated event (the contract). */
export type LicenseConfiguration = LicenseConfigurationCreatedData;

/** A resource associated with the configuration, and what it consumes of it (ResourceAssociated's data). */
export type Association = ResourceAssociatedData;

/** The configuration with its associations: what decisions are made on. */
export interface LicenseConfigurationAggregate extends LicenseConfiguration {
  associations: Record<string, Association>;
}

/** The aggregate's state: nothing yet, a live configuration, or a deleted one (its stream stays). */
export type LicenseConfigurationState =
  | { status: 'absent' }
  | { status: 'present'; configuration: LicenseConfigurationAggregate }
  | { status: 'deleted'; configuration: LicenseConfigurationAggregate };

/**
 * Licences in use: per consumption key the largest consumption, summed. With `replacing`, as if
 * that association (new or changed) were in place, without copying the associations.
 */
export function consumedLicenses(associations: Record<string, Association>, replacing?: Association): number {
  const byKey = new Map<string, number>();
  const count = (association: Association) =>
    byKey.set(
      association.consumptionKey,
      Math.max(byKey.get(association.consumptionKey) ?? 0, association.consumedLicenses),
    );
  for (const arn in associations) if (arn !== replacing?.resourceArn) count(associations[arn]);
  if (replacing) count(replacing);
  let total = 0;
  for (const units of byKey.values()) total += units;
  return total;
}

export const initialLicenseConfigurationState = (): LicenseConfigurationState => ({ status: 'absent' });

export function evolveLicenseConfiguration(
  state: LicenseConfigurationState,
  event: LicenseConfigurationEvent,
): LicenseConfigurationState {
  switch (event.type) {
    case 'LicenseConfigurationCreated':
      return { status: 'present', configuration: { ...event.data, associations: {} } };
    case 'LicenseConfigurationUpdated':
      return state.status === 'present'
        ? { status: 'present', configuration: { ...state.configuration, ...event.data.changes } }
        : state;
    case 'LicenseConfigurationTagged':
      return state.status === 'present'
        ? {
            status: 'present',
            configuration: { ...state.configuration, tags: { ...state.configuration.tags, ...event.data.tags } },
          }
        : state;
    case 'LicenseConfigurationUntagged': {
      if (state.status !== 'present') return state;
      const tags = { ...state.configuration.tags };
      for (const key of event.data.tagKeys) delete tags[key];
      return { status: 'present', configuration: { ...state.configuration, tags } };
    }
    case 'LicenseConfigurationDeleted':
      return state.status === 'present' ? { status: 'deleted', configuration: state.configuration } : state;
    case 'ResourceAssociated':
      return state.status === 'present'
        ? {
            status: 'present',
            configuration: {
              ...state.configuration,
              associations: { ...state.configuration.associations, [event.data.resourceArn]: event.data },
            },
          }
        : state;
    case 'ResourceDisassociated': {
      if (state.status !== 'present') return state;
      const { [event.data.resourceArn]: _removed, ...associations } = state.configuration.associations;
      return { status: 'present', configuration: { ...state.configuration, associations } };
    }
    case 'AssociationConsumptionChanged':
    case 'AffinityHoldStarted': {
      const association =
        state.status === 'present' ? state.configuration.associations[event.data.resourceArn] : undefined;
      if (state.status !== 'present' || !association) return state;
      const changed: Association =
        event.type === 'AffinityHoldStarted'
          ? { ...association, affinityHoldUntil: event.data.until }
          : { ...association, consumedLicenses: event.data.consumedLicenses, affinityHoldUntil: undefined };
      return {
        status: 'present',
        configuration: {
          ...state.configuration,
          associations: { ...state.configuration.associations, [changed.resourceArn]: changed },
        },
      };
    }
    case 'LicenseCountExceeded':
    case 'LicenseOperationFailed':
      return state;
  }
}
