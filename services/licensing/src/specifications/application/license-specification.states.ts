import { Injectable } from '@nestjs/common';
import { AggregateStates } from '@lm/event-store';
import { licenseConfigurationDecider } from '../../configurations/domain/decide';
import { evolveResourceSpecifications } from '../domain/resource-specifications';

/**
 * The service's folded aggregates, kept between commands: a configuration that admits every
 * launch is brought up to date with its newest events instead of being folded from its first.
 */
@Injectable()
export class LicenseSpecificationStates {
  readonly configurations = new AggregateStates(
    licenseConfigurationDecider.evolve,
    licenseConfigurationDecider.initialState,
  );

  readonly specifications = new AggregateStates(evolveResourceSpecifications, () => undefined);
}
