import { Injectable } from '@nestjs/common';
import { AggregateStates } from '@lm/event-store';
import { LicenseConfigurationStates } from '../../configurations/application/license-configuration.states';
import { evolveResourceSpecifications } from '../domain/resource-specifications';

/**
 * The folded aggregates a specification decision spans, kept between commands: resources' and
 * configurations'. A resource this process has not seen is presumed new: most are launches of new
 * instances, whose first association then reads nothing (a resource that had a stream after all
 * makes the append conflict, and is read).
 */
@Injectable()
export class LicenseSpecificationStates {
  readonly specifications = new AggregateStates(evolveResourceSpecifications, () => undefined, { presumeNew: true });

  constructor(readonly configurations: LicenseConfigurationStates) {}
}
