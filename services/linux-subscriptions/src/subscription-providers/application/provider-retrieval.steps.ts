import { Inject, Injectable, Logger } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, EVENT_STORE, type Clock, type Sweep, outsideRequest } from '@lm/service-kit';
import type { RetrievalOutcome } from '../domain/commands';
import { subscriptionProviderDecider, subscriptionProviderStream } from '../domain/decide';
import { offlineTokenIn, untaggedSecretReason } from '../domain/provider-secret';
import { registeredInstanceIds } from '../domain/registered-systems';
import type { SubscriptionProvider } from '../domain/subscription-provider';
import { PROVIDER_SECRETS, SecretUnusableError, type ProviderSecrets } from './provider-secrets';
import { ProviderRetrievals } from './provider-retrievals';
import {
  RED_HAT_SUBSCRIPTION_MANAGER,
  RedHatAccessDeniedError,
  type RedHatSubscriptionManager,
} from './red-hat-subscription-manager';
import { SubscriptionProviderQueries } from './subscription-provider.queries';

/**
 * The scheduled retrieval of every provider's data: reads the offline token from the provider's
 * secret (as its account, the tag checked again at each read, as the role's policy does), reads
 * the Red Hat account's subscriptions and registered systems with it, and records the outcome:
 * ACTIVE with LastSuccessfulDataRetrievalTime and the registered instances, which the listeners
 * of ProviderRetrievals are then told, or INVALID saying why. Red Hat or Secrets Manager not
 * answering now changes nothing: the next run tries again. A registration starts its first
 * retrieval at once (`soon`). Replicas may retrieve the same provider together: each outcome is
 * appended at the version its decision read.
 */
@Injectable()
export class ProviderRetrievalSteps implements Sweep {
  private readonly logger = new Logger('ProviderRetrievalSteps');
  /** Providers this process is retrieving: a registration's first retrieval and a scheduled run do not overlap. */
  private readonly inFlight = new Set<string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PROVIDER_SECRETS) private readonly secrets: ProviderSecrets,
    @Inject(RED_HAT_SUBSCRIPTION_MANAGER) private readonly redHat: RedHatSubscriptionManager,
    private readonly queries: SubscriptionProviderQueries,
    private readonly retrievals: ProviderRetrievals,
  ) {}

  /** Retrieves a new provider's data in the background; a failure is left to the schedule. */
  soon(arn: string): void {
    outsideRequest(() => this.retrieveArn(arn)).catch((error) =>
      this.logger.warn(`retrieving ${arn} failed, the next scheduled run retries: ${String(error)}`),
    );
  }

  /** The number of providers whose outcome was recorded. */
  async sweep(): Promise<number> {
    let recorded = 0;
    for (const provider of await this.queries.all()) {
      try {
        await this.retrieve(provider);
        recorded++;
      } catch (error) {
        this.logger.warn(`retrieving ${provider.arn} failed, the next run retries: ${String(error)}`);
      }
    }
    return recorded;
  }

  private async retrieveArn(arn: string): Promise<void> {
    const provider = await this.queries.byArn(arn);
    if (provider) await this.retrieve(provider);
  }

  private async retrieve(provider: SubscriptionProvider): Promise<void> {
    if (this.inFlight.has(provider.arn)) return;
    this.inFlight.add(provider.arn);
    try {
      await this.record(provider, await this.outcomeOf(provider));
    } finally {
      this.inFlight.delete(provider.arn);
    }
  }

  private async record(provider: SubscriptionProvider, outcome: RetrievalOutcome): Promise<void> {
    const { newEvents } = await handleCommand(
      this.store,
      subscriptionProviderStream(provider.accountId, provider.source),
      subscriptionProviderDecider,
      { type: 'RecordRetrieval', arn: provider.arn, outcome, now: this.clock.now() },
    );
    if (outcome.read && newEvents.length > 0)
      await this.retrievals.tell({
        accountId: provider.accountId,
        subscriptionProviderArn: provider.arn,
        registeredInstanceIds: outcome.registeredInstanceIds,
        retrievedAt: outcome.retrievedAt.toISOString(),
      });
  }

  /** What Red Hat gave with the secret's token; refusals become the INVALID status message. */
  private async outcomeOf(provider: SubscriptionProvider): Promise<RetrievalOutcome> {
    const owner = { accountId: provider.accountId, region: provider.region };
    let secretString: string;
    try {
      const untagged = untaggedSecretReason(provider.secretArn, await this.secrets.tagsOf(owner, provider.secretArn));
      if (untagged) return { read: false, statusMessage: untagged };
      secretString = await this.secrets.valueOf(owner, provider.secretArn);
    } catch (error) {
      if (error instanceof SecretUnusableError) return { read: false, statusMessage: error.message };
      throw error;
    }
    const offlineToken = offlineTokenIn(secretString);
    if (!offlineToken)
      return { read: false, statusMessage: `Secret ${provider.secretArn} holds no Red Hat offline token.` };
    try {
      const data = await this.redHat.retrieve(offlineToken);
      return {
        read: true,
        retrievedAt: this.clock.now(),
        subscriptionCount: data.subscriptions.length,
        systemCount: data.systems.length,
        registeredInstanceIds: registeredInstanceIds(data.systems),
      };
    } catch (error) {
      if (error instanceof RedHatAccessDeniedError) return { read: false, statusMessage: error.message };
      throw error;
    }
  }
}
