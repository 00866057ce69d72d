import type { CataloguedEvents, LicenseConfigurationEvent, LicenseConfigurationSettings } from '@lm/contracts';

/** The events of a configuration's stream: their data is the contract its consumers (reporting) read. */
export type {
  ConsumptionChangeReason,
  DisassociationReason,
  LicenseConfigurationEvent,
  LicenseConfigurationSettings,
} from '@lm/contracts';

export type LicenseConfigurationStatus = LicenseConfigurationSettings['status'];

/** Relayed to lm.events.licensing.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'licensing', LicenseConfigurationEvent>;
