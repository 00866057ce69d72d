import { Injectable } from '@nestjs/common';
import { AggregateStates } from '@lm/event-store';
import { licenseConfigurationDecider } from '../domain/decide';
import type { LicenseConfigurationEvent } from '../domain/events';
import type { LicenseConfigurationState } from '../domain/license-configuration';

/**
 * License configurations folded and kept between commands: a configuration that admits every
 * launch, or has thousands of associations, is brought up to date with its newest events instead
 * of being folded from its first. Its commands, and the specifications slice's, share them.
 */
@Injectable()
export class LicenseConfigurationStates extends AggregateStates<LicenseConfigurationState, LicenseConfigurationEvent> {
  constructor() {
    super(licenseConfigurationDecider.evolve, licenseConfigurationDecider.initialState);
  }
}
