import { Injectable } from '@nestjs/common';
import { assertCataloguedVersion, isConversionEvent, type DomainEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import { ResourceLifecycle } from './resource-lifecycle.commands';

/**
 * Follows conversion's LicenseConversionSucceeded (durable consumer 'licensing-license-type-conversions'):
 * a converted resource leaves the self-managed licenses whose License Included automated discovery
 * rules exclude its new license type (the guide's "Convert a license type").
 */
@Injectable()
export class LicenseTypeConversionsConsumer implements EventConsumer {
  constructor(private readonly lifecycle: ResourceLifecycle) {}

  async handle(event: DomainEventMessage): Promise<void> {
    if (!isConversionEvent(event) || event.type !== 'LicenseConversionSucceeded') return;
    assertCataloguedVersion(event);
    await this.lifecycle.onLicenseTypeConverted(event.data.resourceArn, event.data.licenseIncluded);
  }
}
