import type { Tags } from '../tags';
import type { LicenseConfigurationEvent, LicenseConfigurationSettings } from './events';
import type { CountingType } from './license-rules';

export interface LicenseConfiguration extends LicenseConfigurationSettings {
  id: string;
  arn: string;
  ownerAccountId: string;
  region: string;
  countingType: CountingType;
  tags: Tags;
  createdAt: string;
}

/** The aggregate's state: nothing yet, a live configuration, or a deleted one (its stream stays). */
export type LicenseConfigurationState =
  | { status: 'absent' }
  | { status: 'present'; configuration: LicenseConfiguration }
  | { status: 'deleted'; configuration: LicenseConfiguration };

export const initialLicenseConfigurationState = (): LicenseConfigurationState => ({ status: 'absent' });

export function evolveLicenseConfiguration(
  state: LicenseConfigurationState,
  event: LicenseConfigurationEvent,
): LicenseConfigurationState {
  switch (event.type) {
    case 'LicenseConfigurationCreated':
      return { status: 'present', configuration: { ...event.data } };
    case 'LicenseConfigurationUpdated':
      return state.status === 'present'
        ? { status: 'present', configuration: { ...state.configuration, ...event.data.changes } }
        : state;
    case 'LicenseConfigurationTagged':
      return state.status === 'present'
        ? { status: 'present', configuration: { ...state.configuration, tags: { ...state.configuration.tags, ...event.data.tags } } }
        : state;
    case 'LicenseConfigurationUntagged': {
      if (state.status !== 'present') return state;
      const tags = { ...state.configuration.tags };
      for (const key of event.data.tagKeys) delete tags[key];
      return { status: 'present', configuration: { ...state.configuration, tags } };
    }
    case 'LicenseConfigurationDeleted':
      return state.status === 'present' ? { status: 'deleted', configuration: state.configuration } : state;
  }
}
