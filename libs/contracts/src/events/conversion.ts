import type { DomainEventMessage } from './domain-event-message';

/**
 * Events of the conversion service (lm.events.conversion.*), with the schema version of each type.
 * A license type conversion is done outside this product: LicenseConversionRequested is the
 * integrator's work (it changes the instance's billing and reports it), and licensing follows
 * LicenseConversionSucceeded (License Included automated discovery rules).
 */
export const CONVERSION_EVENT_VERSIONS = {
  // A task per CreateLicenseConversionTaskForResource: IN_PROGRESS -> SUCCEEDED | FAILED
  LicenseConversionTaskStarted: 1,
  LicenseConversionRequested: 1,
  LicenseConversionSucceeded: 1,
  LicenseConversionFailed: 1,
} as const;

/** A LicenseConversionContext of the API: a usage operation and the marketplace product codes. */
export interface LicenseContext {
  usageOperation: string;
  /** Product code ids, sorted (every one of type marketplace). */
  productCodes: string[];
}

/** Which task, of which resource: in every conversion event. */
export interface ConversionTaskRef {
  taskId: string;
  accountId: string;
  region: string;
  resourceArn: string;
  resourceId: string;
}

/** The data of the conversion events (all at version 1), by type. */
export interface ConversionEventData {
  /**
   * The request passed every check: the task is IN_PROGRESS from `startTime`. `licenseIncluded`:
   * the license-included products of the destination (License Manager's values:
   * windows-server-datacenter, sql-server-web...).
   */
  LicenseConversionTaskStarted: ConversionTaskRef & {
    source: LicenseContext;
    destination: LicenseContext;
    licenseIncluded: string[];
    startTime: string;
  };
  /**
   * The integrator's contract: change the resource's license type from `source` to `destination`,
   * then report the instance (ReportResources with the destination's UsageOperation and
   * ProductCodes) or the result (ReportConversionResult). Not published for a task that fails at once.
   */
  LicenseConversionRequested: ConversionTaskRef & {
    source: LicenseContext;
    destination: LicenseContext;
    startTime: string;
  };
  /**
   * SUCCEEDED: the inventory reported the destination license type (`licenseConversionTime`: when
   * it was observed) or the integrator said so; `licenseIncluded` as the task started with.
   */
  LicenseConversionSucceeded: ConversionTaskRef & {
    destination: LicenseContext;
    licenseIncluded: string[];
    licenseConversionTime: string;
    endTime: string;
  };
  /** FAILED with the reason in the guide's words or the integrator's. */
  LicenseConversionFailed: ConversionTaskRef & {
    cause: 'StopProtection' | 'Integrator' | 'Timeout';
    statusMessage: string;
    endTime: string;
  };
}

/** A conversion event as JetStream carries it (lm.events.conversion.*): its data known by its type. */
export type ConversionEventMessage = {
  [T in keyof ConversionEventData]: DomainEventMessage<ConversionEventData[T]> & { type: T };
}[keyof ConversionEventData];

/** Narrows a message of lm.events.conversion.* by its type: the contract says which data each type carries. */
export const isConversionEvent = (event: DomainEventMessage<object>): event is ConversionEventMessage =>
  event.service === 'conversion' && event.type in CONVERSION_EVENT_VERSIONS;
