import type { ConversionTaskRef, LicenseContext } from '@lm/contracts';
import type { InstanceFacts } from '../../shared/instance-facts';

export type ConversionTaskCommand =
  /** CreateLicenseConversionTaskForResource, with what the inventory says of the instance. */
  | {
      type: 'StartConversion';
      task: ConversionTaskRef;
      instance: InstanceFacts;
      source: LicenseContext;
      destination: LicenseContext;
      now: Date;
    }
  /** Discovery reported the instance (its usage operation and product codes) at `observedAt`. */
  | {
      type: 'ObserveInstance';
      usageOperation: string | null;
      productCodes: string[];
      observedAt: string;
      now: Date;
    }
  /** ReportConversionResult; `accountId`: the caller's, or the task's for a report on NATS. */
  | {
      type: 'ReportConversionResult';
      taskId: string;
      accountId: string;
      result: { succeeded: true } | { succeeded: false; statusMessage: string };
      now: Date;
    }
  /** The timeout sweep: a task in progress for `timeoutMs` or more fails. */
  | { type: 'CheckTimeout'; timeoutMs: number; now: Date };
