import { Inject, Injectable } from '@nestjs/common';
import { apiModels, validateInput, validationMessage, type Extensions } from '@lm/api-model';
import { handleCommand, type EventStore } from '@lm/event-store';
import { resourceArn, validation } from '@lm/contracts';
import { CLOCK, type Clock, EVENT_STORE } from '@lm/service-kit';
import { inventoryResourceDecider, inventoryResourceStream } from '../domain/inventory-resource/decide';
import type { ResourceIdentity } from '../domain/inventory-resource/events';
import { stateFitsType } from '../domain/inventory-resource/resource-types';
import { observedAtOf, toReportedAttributes } from './reported-resource';
import { reportingAccount, reportingRegion, type Reporter } from './reporter';

/** How far in the future an ObservedAt may be (clock skew, as SigV4 allows): later ones would freeze the resource. */
const FUTURE_TOLERANCE_MS = 15 * 60_000;

const EXTENSIONS = apiModels['license-manager-extensions'];

/** ReportResources, from the gateway or from NATS: each resource is one aggregate, observed. */
@Injectable()
export class InventoryReports {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report(reporter: Reporter, body: unknown): Promise<Extensions.ReportResourcesResponse> {
    // The gateway has checked a request against the model already; a report published on NATS has
    // had no gateway in front of it, so it is checked here against the same model.
    const issues = validateInput(EXTENSIONS, EXTENSIONS.operations.ReportResources.input!, body);
    if (issues.length > 0) throw validation(validationMessage(issues));
    const { Resources: resources } = body as Extensions.ReportResourcesRequest;
    // Every resource is checked before any is stored: one misfit refuses the whole report.
    resources.forEach((resource, index) => {
      if (!stateFitsType(resource.ResourceType, resource.State)) {
        throw validation(
          `Resources[${index}].State ${resource.State} is not a state of a ${resource.ResourceType} resource.`,
        );
      }
    });
    const now = this.clock.now();
    const outcomes = await Promise.all(resources.map((resource) => this.observe(reporter, resource, now)));
    const failed = outcomes.filter((outcome): outcome is Extensions.ReportFailure => outcome !== undefined);
    return { Accepted: resources.length - failed.length, Failed: failed };
  }

  /** Records one resource; a resource the reporter may not report comes back as a failure. */
  private async observe(
    reporter: Reporter,
    reported: Extensions.ReportedResource,
    now: Date,
  ): Promise<Extensions.ReportFailure | undefined> {
    const account = reportingAccount(reporter, reported.AccountId ?? undefined);
    if ('refused' in account) return { ResourceId: reported.ResourceId, Message: account.refused };
    const observedAt = observedAtOf(reported) ?? now;
    if (observedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      return { ResourceId: reported.ResourceId, Message: `ObservedAt ${observedAt.toISOString()} is in the future.` };
    }
    const region = reported.Region ?? reportingRegion(reporter);
    const resource: ResourceIdentity = {
      accountId: account.accountId,
      region,
      resourceId: reported.ResourceId,
      resourceType: reported.ResourceType,
      resourceArn: resourceArn(reported.ResourceType, region, account.accountId, reported.ResourceId),
    };
    await handleCommand(this.store, inventoryResourceStream(resource), inventoryResourceDecider, {
      type: 'ObserveResource',
      resource,
      attributes: toReportedAttributes(reported),
      observedAt,
    });
    return undefined;
  }
}
