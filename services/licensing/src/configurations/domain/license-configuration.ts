import type { LicenseConfigurationCreatedData } from '@lm/contracts';
import { ConfigurationAssociations, type Association } from './configuration-associations';
import type { LicenseConfigurationEvent } from './events';

/** A configuration as created: the data of its LicenseConfigurationCreated event (the contract). */
export type LicenseConfiguration = LicenseConfigurationCreatedData;

/** The configuration with its associations: what decisions are made on. */
export interface LicenseConfigurationAggregate extends LicenseConfiguration {
  associations: ConfigurationAssociations;
}

/** The aggregate's state: nothing yet, a live configuration, or a deleted one (its stream stays). */
export type LicenseConfigurationState =
  | { status: 'absent' }
  | { status: 'present'; configuration: LicenseConfigurationAggregate }
  | { status: 'deleted'; configuration: LicenseConfigurationAggregate };

export const initialLicenseConfigurationState = (): LicenseConfigurationState => ({ status: 'absent' });

export function evolveLicenseConfiguration(
  state: LicenseConfigurationState,
  event: LicenseConfigurationEvent,
): LicenseConfigurationState {
  switch (event.type) {
    case 'LicenseConfigurationCreated':
      return { status: 'present', configuration: { ...event.data, associations: ConfigurationAssociations.none } };
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
            configuration: { ...state.configuration, associations: state.configuration.associations.with(event.data) },
          }
        : state;
    case 'ResourceDisassociated': {
      if (state.status !== 'present') return state;
      const associations = state.configuration.associations.without(event.data.resourceArn);
      return { status: 'present', configuration: { ...state.configuration, associations } };
    }
    case 'AssociationConsumptionChanged':
    case 'AffinityHoldStarted': {
      const association =
        state.status === 'present' ? state.configuration.associations.get(event.data.resourceArn) : undefined;
      if (state.status !== 'present' || !association) return state;
      const changed: Association =
        event.type === 'AffinityHoldStarted'
          ? { ...association, affinityHoldUntil: event.data.until }
          : { ...association, consumedLicenses: event.data.consumedLicenses, affinityHoldUntil: undefined };
      return {
        status: 'present',
        configuration: { ...state.configuration, associations: state.configuration.associations.with(changed) },
      };
    }
    case 'LicenseCountExceeded':
    case 'LicenseOperationFailed':
      return state;
  }
}
