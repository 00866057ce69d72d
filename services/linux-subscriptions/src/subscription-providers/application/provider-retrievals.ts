import { Injectable, Logger } from '@nestjs/common';

/** What a provider's retrieval found: the EC2 instances registered with it, at that time. */
export interface ProviderRetrieval {
  accountId: string;
  subscriptionProviderArn: string;
  /** Every instance id the provider's systems name (none once the provider is deregistered). */
  registeredInstanceIds: string[];
  /** ISO 8601. */
  retrievedAt: string;
}

export type ProviderRetrievalListener = (retrieval: ProviderRetrieval) => Promise<void>;

/**
 * Tells the service's other slices each provider's registered instances: after every successful
 * retrieval, and with an empty list on deregistration. The instances slice adds itself in
 * onModuleInit (`retrievals.add(async (retrieval) => ...)`) to set RegisteredWithSubscriptionProvider
 * and DualSubscription. Each retrieval tells the whole list again, so a listener that failed once
 * (logged) catches up at the next one.
 */
@Injectable()
export class ProviderRetrievals {
  private readonly logger = new Logger('ProviderRetrievals');
  private readonly listeners: ProviderRetrievalListener[] = [];

  add(listener: ProviderRetrievalListener): void {
    this.listeners.push(listener);
  }

  async tell(retrieval: ProviderRetrieval): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(retrieval);
      } catch (error) {
        this.logger.warn(
          `a listener of ${retrieval.subscriptionProviderArn}'s retrieval failed, the next retrieval tells it again: ${String(error)}`,
        );
      }
    }
  }
}
