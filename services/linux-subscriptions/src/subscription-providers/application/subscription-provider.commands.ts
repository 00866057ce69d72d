import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { LinuxSubscriptions } from '@lm/api-model';
import { AwsError, validation, type Caller } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, EVENT_STORE, REGION, type Clock } from '@lm/service-kit';
import { DiscoverySettingsLookup } from '../../settings/application/discovery-settings.lookup';
import { linuxSubscriptionsArn } from '../../shared/arns';
import { checkedTags } from '../../shared/tags/resource-tags';
import type { SubscriptionProviderCommand } from '../domain/commands';
import { subscriptionProviderDecider, subscriptionProviderStream } from '../domain/decide';
import { ownSecretArn, untaggedSecretReason } from '../domain/provider-secret';
import type { SubscriptionProvider } from '../domain/subscription-provider';
import { PROVIDER_SECRETS, SecretUnusableError, type ProviderSecrets } from './provider-secrets';
import { ProviderRetrievalSteps } from './provider-retrieval.steps';
import { ProviderRetrievals } from './provider-retrievals';
import { SubscriptionProviderQueries } from './subscription-provider.queries';

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
type OwnerCommand = DistributiveOmit<
  Extract<
    SubscriptionProviderCommand,
    { type: 'DeregisterSubscriptionProvider' | 'TagSubscriptionProvider' | 'UntagSubscriptionProvider' }
  >,
  'arn' | 'accountId' | 'now'
>;

/**
 * Providers a caller registers, tags and deregisters, in its own account. Registration checks the
 * secret (the caller's own, tagged as the guide says) and answers PENDING at once; the retrieval
 * steps then read the Red Hat account and make it ACTIVE or INVALID.
 */
@Injectable()
export class SubscriptionProviderCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
    @Inject(PROVIDER_SECRETS) private readonly secrets: ProviderSecrets,
    private readonly queries: SubscriptionProviderQueries,
    private readonly discovery: DiscoverySettingsLookup,
    private readonly steps: ProviderRetrievalSteps,
    private readonly retrievals: ProviderRetrievals,
  ) {}

  async register(
    caller: Caller,
    input: LinuxSubscriptions.RegisterSubscriptionProviderRequest,
  ): Promise<LinuxSubscriptions.RegisterSubscriptionProviderResponse> {
    if (input.SubscriptionProviderSource !== 'RedHat')
      throw validation(
        `SubscriptionProviderSource ${String(input.SubscriptionProviderSource)} is not supported: RedHat is.`,
      );
    // The guide's prerequisite: Linux subscriptions discovery is activated for the account first.
    if (!(await this.discovery.of(caller.accountId)))
      throw validation(
        'Linux subscriptions discovery must be enabled for this account (UpdateServiceSettings) before a subscription provider is registered.',
      );
    const owner = { accountId: caller.accountId, region: this.region };
    const tags = checkedTags(input.Tags);
    ownSecretArn(input.SecretArn, owner);
    await this.usableSecret(owner, input.SecretArn);
    const arn = linuxSubscriptionsArn('subscription-provider', this.region, caller.accountId, randomUUID());
    const { state } = await handleCommand(
      this.store,
      subscriptionProviderStream(caller.accountId, input.SubscriptionProviderSource),
      subscriptionProviderDecider,
      {
        type: 'RegisterSubscriptionProvider',
        arn,
        accountId: caller.accountId,
        region: this.region,
        source: input.SubscriptionProviderSource,
        secretArn: input.SecretArn,
        tags,
        now: this.clock.now(),
      },
    );
    this.steps.soon(arn);
    const provider = state.provider!;
    return {
      SubscriptionProviderArn: provider.arn,
      SubscriptionProviderSource: provider.source,
      SubscriptionProviderStatus: 'PENDING',
    };
  }

  async deregister(
    caller: Caller,
    input: LinuxSubscriptions.DeregisterSubscriptionProviderRequest,
  ): Promise<LinuxSubscriptions.DeregisterSubscriptionProviderResponse> {
    const provider = await this.queries.named(caller, input.SubscriptionProviderArn);
    await this.onOwn(provider, { type: 'DeregisterSubscriptionProvider' });
    await this.retrievals.tell({
      accountId: provider.accountId,
      subscriptionProviderArn: provider.arn,
      registeredInstanceIds: [],
      retrievedAt: this.clock.now().toISOString(),
    });
    return {};
  }

  /** TagResource on the caller's provider; another account's is not found. */
  async tag(caller: Caller, arn: string, tags: Record<string, string>): Promise<void> {
    await this.onOwn(await this.queries.named(caller, arn), { type: 'TagSubscriptionProvider', tags });
  }

  async untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    await this.onOwn(await this.queries.named(caller, arn), { type: 'UntagSubscriptionProvider', tagKeys });
  }

  async tagsOf(caller: Caller, arn: string): Promise<Record<string, string>> {
    return (await this.queries.named(caller, arn)).tags;
  }

  /**
   * The secret exists in the caller's account and carries the guide's tag; its value is read at
   * each retrieval (a token changed in Secrets Manager is used from the next one on).
   */
  private async usableSecret(owner: { accountId: string; region: string }, secretArn: string): Promise<void> {
    let tags: Record<string, string>;
    try {
      tags = await this.secrets.tagsOf(owner, secretArn);
    } catch (error) {
      if (error instanceof SecretUnusableError) throw validation(error.message);
      throw new AwsError('InternalServerException', 'Secrets Manager did not answer about the secret; try again.');
    }
    const reason = untaggedSecretReason(secretArn, tags);
    if (reason) throw validation(reason);
  }

  private async onOwn(provider: SubscriptionProvider, command: OwnerCommand): Promise<void> {
    await handleCommand(
      this.store,
      subscriptionProviderStream(provider.accountId, provider.source),
      subscriptionProviderDecider,
      {
        ...command,
        arn: provider.arn,
        accountId: provider.accountId,
        now: this.clock.now(),
      } as SubscriptionProviderCommand,
    );
  }
}
