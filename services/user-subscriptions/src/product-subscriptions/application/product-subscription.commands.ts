import { Inject, Injectable } from '@nestjs/common';
import type { UserSubscriptions } from '@lm/api-model';
import { resourceNotFound, validation, type Caller } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, REGION, type Clock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { DIRECTORY, type Directory } from '../../identity-providers/application/directory';
import {
  DirectoryUnreachableError,
  RegisteredDirectories,
} from '../../identity-providers/application/registered-directories';
import { requestedDirectoryId } from '../../identity-providers/domain/directory';
import type { IdentityProviderRegistration } from '../../identity-providers/domain/identity-provider';
import { parseUserSubscriptionsArn, userSubscriptionsArn } from '../../shared/arns';
import { productOf } from '../../shared/products';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { ProductSubscriptionCommand } from '../domain/commands';
import { productSubscriptionDecider } from '../domain/decide';
import {
  productSubscriptionStream,
  productUserId,
  toProductUserSummary,
  type ProductSubscription,
} from '../domain/product-subscription';
import { ProductSubscriptionSteps } from './product-subscription.steps';
import type { ProductSubscriptionViews } from './product-subscription.views';
import { UnsubscribeBlockers } from './unsubscribe-blockers';

/** Longest logon name taken: a user principal name's (Active Directory's sAMAccountName is shorter still). */
const MAX_USERNAME_LENGTH = 256;

/**
 * Users a caller subscribes to products and unsubscribes, through the directories its account
 * registered. A Start asks the directory first: a user it does not hold, or a directory that does
 * not answer, is refused with nothing recorded.
 */
@Injectable()
export class ProductSubscriptionCommands {
  private readonly db: Kysely<ProductSubscriptionViews>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<ProductSubscriptionViews>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
    @Inject(DIRECTORY) private readonly directory: Directory,
    private readonly directories: RegisteredDirectories,
    private readonly blockers: UnsubscribeBlockers,
    private readonly steps: ProductSubscriptionSteps,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  async start(
    caller: Caller,
    input: UserSubscriptions.StartProductSubscriptionRequest,
  ): Promise<UserSubscriptions.StartProductSubscriptionResponse> {
    const product = productOf(input.Product);
    const registration = await this.managedRegistration(caller, requestedDirectoryId(input.IdentityProvider), product);
    const domain = domainOf(registration, input.Domain);
    const username = await this.directoryUser(registration, usernameOf(input.Username));
    const id = productUserId({
      accountId: caller.accountId,
      directoryId: registration.directory.directoryId,
      product,
      domain,
      username,
    });
    const arn = userSubscriptionsArn('product-user', this.region, caller.accountId, id);
    const { state } = await handleCommand(this.store, productSubscriptionStream(id), productSubscriptionDecider, {
      type: 'StartProductSubscription',
      arn,
      accountId: caller.accountId,
      region: this.region,
      product,
      username,
      domain,
      directoryId: registration.directory.directoryId,
      identityProviderArn: registration.arn,
      origin: 'REQUESTED',
      tags: input.Tags ?? {},
      now: this.clock.now(),
    });
    this.steps.soon(arn);
    return { ProductUserSummary: toProductUserSummary(state.subscription!) };
  }

  async stop(
    caller: Caller,
    input: UserSubscriptions.StopProductSubscriptionRequest,
  ): Promise<UserSubscriptions.StopProductSubscriptionResponse> {
    const subscription = await this.named(caller, input);
    const registration = await this.directories.byArn(caller.accountId, subscription.identityProviderArn);
    if (registration?.directory.shared) throw ownerOnly(registration);
    const blockers = await this.blockers.of(subscription);
    const stopped = await this.decide(subscription, {
      type: 'StopProductSubscription',
      arn: subscription.arn,
      accountId: caller.accountId,
      blockers,
      now: this.clock.now(),
    });
    this.steps.soon(subscription.arn);
    return { ProductUserSummary: toProductUserSummary(stopped) };
  }

  /** TagResource on the caller's product user (ResourceTags); another account's is not found. */
  async tag(caller: Caller, arn: string, tags: Record<string, string>): Promise<void> {
    const subscription = await this.named(caller, { ProductUserArn: arn });
    await this.decide(subscription, {
      type: 'TagProductUser',
      arn: subscription.arn,
      accountId: caller.accountId,
      tags,
      now: this.clock.now(),
    });
  }

  async untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    const subscription = await this.named(caller, { ProductUserArn: arn });
    await this.decide(subscription, {
      type: 'UntagProductUser',
      arn: subscription.arn,
      accountId: caller.accountId,
      tagKeys,
      now: this.clock.now(),
    });
  }

  async tagsOf(caller: Caller, arn: string): Promise<Record<string, string>> {
    return (await this.named(caller, { ProductUserArn: arn })).tags;
  }

  /** A command on the stream of a subscription the caller has. */
  private async decide(
    subscription: ProductSubscription,
    command: ProductSubscriptionCommand,
  ): Promise<ProductSubscription> {
    const { state } = await handleCommand(
      this.store,
      productSubscriptionStream(parseUserSubscriptionsArn('product-user', subscription.arn)!.id),
      productSubscriptionDecider,
      command,
    );
    return state.subscription!;
  }

  /**
   * The caller's REGISTERED registration of the directory for the product; the guide: user
   * subscriptions are managed only in the directory owner's account, not through a shared directory.
   */
  private async managedRegistration(
    caller: Caller,
    directoryId: string,
    product: string,
  ): Promise<IdentityProviderRegistration> {
    const registration = await this.directories.registration(caller.accountId, directoryId, product);
    if (!registration || registration.status === 'DEREGISTERING')
      throw resourceNotFound(`Identity provider of directory ${directoryId} for ${product}`);
    if (registration.status !== 'REGISTERED')
      throw validation(
        `Directory ${directoryId} is ${registration.status} for ${product}${registration.failureMessage ? `: ${registration.failureMessage}` : ''}; users can be subscribed once it is REGISTERED.`,
      );
    if (registration.directory.shared) throw ownerOnly(registration);
    return registration;
  }

  /** The user as the directory spells it: one it does not hold is not found, one it cannot be asked about is refused. */
  private async directoryUser(registration: IdentityProviderRegistration, username: string): Promise<string> {
    let connection;
    try {
      connection = await this.directories.connectionOf(registration);
    } catch (error) {
      if (error instanceof DirectoryUnreachableError)
        throw validation(
          `Directory ${registration.directory.directoryId} cannot be asked: ${error.message} Nothing was subscribed.`,
        );
      throw error;
    }
    const lookup = await this.directory.findUser(connection, username);
    if (!lookup.ok)
      throw validation(
        `Directory ${registration.directory.directoryId} could not be asked for user ${username}: ${lookup.message}. Nothing was subscribed.`,
      );
    if (!lookup.user)
      throw resourceNotFound(
        `User ${username} in directory ${registration.directory.directoryId} (${registration.directory.domainName})`,
      );
    return lookup.user.username;
  }

  /** By ProductUserArn, or by Username, Product and IdentityProvider (and Domain); another account's is not found. */
  private async named(
    caller: Caller,
    input: UserSubscriptions.StopProductSubscriptionRequest,
  ): Promise<ProductSubscription> {
    const byArn = input.ProductUserArn !== undefined;
    const byUser = [input.Username, input.Product, input.IdentityProvider, input.Domain].some(
      (member) => member !== undefined,
    );
    if (byArn === byUser)
      throw validation(
        'Name the subscription by ProductUserArn, or by Username, Product and IdentityProvider (and Domain).',
      );
    let arn: string;
    if (byArn) {
      arn = input.ProductUserArn!;
      if (!parseUserSubscriptionsArn('product-user', arn)) throw validation(`${arn} is not a product user ARN.`);
    } else {
      const product = productOf(input.Product);
      const directoryId = requestedDirectoryId(input.IdentityProvider);
      const registration = await this.directories.registration(caller.accountId, directoryId, product);
      if (!registration) throw resourceNotFound(`Identity provider of directory ${directoryId} for ${product}`);
      const domain = domainOf(registration, input.Domain);
      const username = usernameOf(input.Username);
      arn = userSubscriptionsArn(
        'product-user',
        this.region,
        caller.accountId,
        productUserId({ accountId: caller.accountId, directoryId, product, domain, username }),
      );
    }
    const row = await this.db
      .selectFrom('product_subscriptions')
      .select('state')
      .where('arn', '=', arn)
      .where('account_id', '=', caller.accountId)
      .executeTakeFirst();
    if (!row) throw resourceNotFound(`Product user ${arn}`);
    return row.state;
  }
}

function usernameOf(username: string | undefined): string {
  const trimmed = username?.trim();
  // eslint-disable-next-line no-control-regex
  if (!trimmed || trimmed.length > MAX_USERNAME_LENGTH || /[\u0000-\u001f\u007f]/.test(trimmed))
    throw validation(`Username must be a logon name of 1 to ${MAX_USERNAME_LENGTH} characters.`);
  return trimmed;
}

/**
 * The user's domain: the directory's own unless the request names it. A trusted domain's users are
 * not searched in this build (the directory adapter binds and searches the registered domain), so
 * another domain is refused rather than looked up in the wrong place.
 */
function domainOf(registration: IdentityProviderRegistration, domain: string | undefined): string {
  const own = registration.directory.domainName.toLowerCase();
  if (domain !== undefined && domain.trim().toLowerCase() !== own)
    throw validation(
      `Domain ${domain} is not the domain of directory ${registration.directory.directoryId} (${own}); users of trusted domains are not searched in this deployment.`,
    );
  return own;
}

const ownerOnly = (registration: IdentityProviderRegistration) =>
  validation(
    `Directory ${registration.directory.directoryId} is shared with this account: user subscriptions are managed only in the directory owner's account.`,
  );
