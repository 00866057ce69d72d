import { Injectable } from '@nestjs/common';
import { AggregateStates } from '@lm/event-store';
import { LicenseConfigurationStates } from '../../configurations/application/license-configuration.states';
import { evolveResourceSpecifications } from '../domain/resource-specifications';

/** The folded aggregates a specification decision spans, kept between commands: resources' and configurations'. */
@Injectable()
export class LicenseSpecificationStates {
  readonly specifications = new AggregateStates(evolveResourceSpecifications, () => undefined);

  constructor(readonly configurations: LicenseConfigurationStates) {}
}
