import type { LinuxInstanceGoneReason, ProviderRegistrationDescription } from '@lm/contracts';
import type { BillingInformation } from './classification';
import type { LinuxInstanceId } from './linux-instance';

/** What the inventory knows of an instance (the service's copy of it), at the time it was observed. */
export interface InventoryObservation extends BillingInformation {
  amiId: string | null;
  instanceType: string | null;
  /** The EC2 state, e.g. running, stopped, terminated. */
  state: string;
  /** ISO 8601. */
  observedAt: string;
}

export type LinuxInstanceCommand =
  /**
   * Discovery saw the instance (reported, or its account's discovery turned on): classify it.
   * `providerRegistration`: what the subscription provider's last retrieval says of it.
   */
  | {
      type: 'ObserveInstance';
      id: LinuxInstanceId;
      observation: InventoryObservation;
      providerRegistration?: ProviderRegistrationDescription;
      now: Date;
    }
  /** A subscription provider's retrieval listed the instance as registered with it, or no longer (undefined). */
  | {
      type: 'RecordProviderRegistration';
      id: LinuxInstanceId;
      providerRegistration?: ProviderRegistrationDescription;
      now: Date;
    }
  /** No longer discovered: inactive in the inventory, or its discovery turned off. */
  | {
      type: 'ForgetInstance';
      id: LinuxInstanceId;
      reason: Extract<LinuxInstanceGoneReason, 'INACTIVE' | 'DISCOVERY_DEACTIVATED'>;
      now: Date;
    };
