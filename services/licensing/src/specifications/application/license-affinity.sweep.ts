import { Injectable } from '@nestjs/common';
import type { Sweep } from '@lm/service-kit';
import { ResourceLifecycle } from './resource-lifecycle.commands';

/** Ends the licence affinity holds that are due (run every LM_AFFINITY_SWEEP_MS; the guide: "within 24 hours"). */
@Injectable()
export class LicenseAffinitySweep implements Sweep {
  constructor(private readonly lifecycle: ResourceLifecycle) {}

  sweep(): Promise<number> {
    return this.lifecycle.endDueAffinityHolds();
  }
}
