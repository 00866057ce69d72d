import { Injectable } from '@nestjs/common';
import { AggregateStates } from '@lm/event-store';
import { licenseConfigurationDecider } from '../domain/license-configuration/decide';
import type { LicenseConfigurationEvent } from '../domain/license-configuration/events';
import type { LicenseConfigurationState } from '../domain/license-configuration/license-configuration';
import {
  evolveResourceSpecifications,
  type ResourceSpecificationsEvent,
  type ResourceSpecificationsState,
} from '../domain/license-specifications/resource-specifications';

/**
 * The service's folded aggregates, kept between commands: a configuration that admits every
 * launch is brought up to date with its newest events instead of being folded from its first.
 */
@Injectable()
export class LicensingAggregateStates {
  readonly configurations = new AggregateStates<LicenseConfigurationState>(
    (state, event) => licenseConfigurationDecider.evolve(state, event as unknown as LicenseConfigurationEvent),
    licenseConfigurationDecider.initialState,
  );

  readonly specifications = new AggregateStates<ResourceSpecificationsState>(
    (state, event) => evolveResourceSpecifications(state, event as unknown as ResourceSpecificationsEvent),
    () => undefined,
  );
}
