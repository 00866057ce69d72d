import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Sweep } from '@lm/service-kit';
import { ConversionTaskCommands } from './conversion-task.commands';

/** The tasks slice's settings the sweep reads. */
interface TimeoutSettings {
  conversionTimeoutMs: number;
}

/** Fails the conversions no result came for within LM_CONVERSION_TIMEOUT (the clock is the chassis's CLOCK). */
@Injectable()
export class ConversionTimeoutSweep implements Sweep {
  constructor(
    private readonly tasks: ConversionTaskCommands,
    @Inject(CONFIG) private readonly config: TimeoutSettings,
  ) {}

  async sweep(): Promise<void> {
    await this.tasks.expire(this.config.conversionTimeoutMs);
  }
}
