import { Inject, Injectable } from '@nestjs/common';
import type { UserSubscriptions } from '@lm/api-model';
import { resourceNotFound, validation, type Caller } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, REGION, type Clock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import type { IdentityProviderViews } from '../../identity-providers/application/identity-provider.views';
import { requestedDirectoryId } from '../../identity-providers/domain/directory';
import type { IdentityProviderRegistration } from '../../identity-providers/domain/identity-provider';
import { UserSubscriptionInstances } from '../../instances/application/user-subscription-instances';
import type { ProductSubscriptionViews } from '../../product-subscriptions/application/product-subscription.views';
import { parseUserSubscriptionsArn, userSubscriptionsArn } from '../../shared/arns';
import type { Product } from '../../shared/products';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import {
  instanceUserId,
  neededProducts,
  toInstanceUserSummary,
  userAssociationStream,
  type UserAssociation,
} from '../domain/association';
import type { UserAssociationCommand } from '../domain/commands';
import { userAssociationDecider } from '../domain/decide';
import { AssociationSteps } from './association.steps';
import type { UserAssociationViews } from './association.views';

type Views = UserAssociationViews & ProductSubscriptionViews & IdentityProviderViews;

/**
 * Users a caller associates with its user-subscription instances and disassociates. AssociateUser
 * needs the instance to provide, through the named directory, a product the user is SUBSCRIBED to
 * (the guide: "Microsoft products like Office or Visual Studio require an active subscription
 * before you can associate Active Directory users to an instance that includes those products");
 * the 25-instance quota is the guard's, in the append's transaction.
 */
@Injectable()
export class AssociationCommands {
  private readonly db: Kysely<Views>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<Views>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
    private readonly instances: UserSubscriptionInstances,
    private readonly steps: AssociationSteps,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  async associate(
    caller: Caller,
    input: UserSubscriptions.AssociateUserRequest,
  ): Promise<UserSubscriptions.AssociateUserResponse> {
    const directoryId = requestedDirectoryId(input.IdentityProvider);
    const username = memberOf('Username', input.Username);
    const instanceId = memberOf('InstanceId', input.InstanceId);
    const found = await this.instances.one(caller.accountId, this.region, instanceId, directoryId);
    if (!found || found.instance.status === 'TERMINATED')
      throw resourceNotFound(
        `Instance ${instanceId} providing user-based subscriptions through directory ${directoryId}`,
      );
    const registrations = await this.registrations(found.identityProviderArns);
    const shared = registrations.find((registration) => registration.directory.shared);
    if (shared) throw ownerOnly(shared);
    const domain = domainOf(registrations[0], input.Domain);
    const needed = neededProducts(found.products);
    const subscriptions = await this.db
      .selectFrom('product_subscriptions')
      .select(['product', 'status', 'username'])
      .where('account_id', '=', caller.accountId)
      .where('directory_id', '=', directoryId)
      .where('domain', '=', domain)
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .where('product', 'in', needed)
      .execute();
    const subscribed = subscriptions.filter((subscription) => subscription.status === 'SUBSCRIBED');
    if (subscribed.length === 0) {
      const pending = subscriptions.find((subscription) => subscription.status === 'SUBSCRIBING');
      if (pending)
        throw validation(
          `User ${pending.username} is SUBSCRIBING to ${pending.product}; it can be associated once SUBSCRIBED. Nothing was associated.`,
        );
      throw resourceNotFound(
        `A subscription of user ${username} to ${needed.join(' or ')} (what instance ${instanceId} provides)`,
      );
    }
    const products = subscribed.map((subscription) => subscription.product as Product);
    const spelled = subscribed[0].username;
    const id = instanceUserId({ accountId: caller.accountId, directoryId, domain, username: spelled, instanceId });
    const arn = userSubscriptionsArn('instance-user', this.region, caller.accountId, id);
    const { state } = await handleCommand(this.store, userAssociationStream(id), userAssociationDecider, {
      type: 'AssociateUser',
      arn,
      accountId: caller.accountId,
      region: this.region,
      instanceId,
      directoryId,
      username: spelled,
      domain,
      products,
      identityProviderArns: found.identityProviderArns.filter((_, index) => products.includes(found.products[index])),
      tags: input.Tags ?? {},
      now: this.clock.now(),
    });
    this.steps.soon(arn);
    return { InstanceUserSummary: toInstanceUserSummary(state.association!) };
  }

  async disassociate(
    caller: Caller,
    input: UserSubscriptions.DisassociateUserRequest,
  ): Promise<UserSubscriptions.DisassociateUserResponse> {
    const { arn } = await this.named(caller, input);
    const disassociated = await this.decide({
      type: 'DisassociateUser',
      arn,
      accountId: caller.accountId,
      now: this.clock.now(),
    });
    return { InstanceUserSummary: toInstanceUserSummary(disassociated) };
  }

  /** TagResource on the caller's instance user (ResourceTags); another account's is not found. */
  async tag(caller: Caller, arn: string, tags: Record<string, string>): Promise<void> {
    await this.named(caller, { InstanceUserArn: arn });
    await this.decide({ type: 'TagInstanceUser', arn, accountId: caller.accountId, tags, now: this.clock.now() });
  }

  async untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    await this.named(caller, { InstanceUserArn: arn });
    await this.decide({ type: 'UntagInstanceUser', arn, accountId: caller.accountId, tagKeys, now: this.clock.now() });
  }

  async tagsOf(caller: Caller, arn: string): Promise<Record<string, string>> {
    return (await this.named(caller, { InstanceUserArn: arn })).tags;
  }

  /** A command on the stream of the association its ARN names. */
  private async decide(command: UserAssociationCommand): Promise<UserAssociation> {
    const { state } = await handleCommand(
      this.store,
      userAssociationStream(parseUserSubscriptionsArn('instance-user', command.arn)!.id),
      userAssociationDecider,
      command,
    );
    return state.association!;
  }

  /** By InstanceUserArn, or by Username, InstanceId and IdentityProvider (and Domain); another account's is not found. */
  private async named(caller: Caller, input: UserSubscriptions.DisassociateUserRequest): Promise<UserAssociation> {
    const byArn = input.InstanceUserArn !== undefined;
    const byUser = [input.Username, input.InstanceId, input.IdentityProvider, input.Domain].some(
      (member) => member !== undefined,
    );
    if (byArn === byUser)
      throw validation(
        'Name the association by InstanceUserArn, or by Username, InstanceId and IdentityProvider (and Domain).',
      );
    let arn: string;
    if (byArn) {
      arn = input.InstanceUserArn!;
      if (!parseUserSubscriptionsArn('instance-user', arn)) throw validation(`${arn} is not an instance user ARN.`);
    } else {
      const directoryId = requestedDirectoryId(input.IdentityProvider);
      const username = memberOf('Username', input.Username);
      const instanceId = memberOf('InstanceId', input.InstanceId);
      const [registration] = await this.db
        .selectFrom('identity_providers')
        .select('state')
        .where('account_id', '=', caller.accountId)
        .where('directory_id', '=', directoryId)
        .limit(1)
        .execute();
      if (!registration) throw resourceNotFound(`Identity provider of directory ${directoryId}`);
      const domain = domainOf(registration.state, input.Domain);
      const id = instanceUserId({ accountId: caller.accountId, directoryId, domain, username, instanceId });
      arn = userSubscriptionsArn('instance-user', this.region, caller.accountId, id);
    }
    const row = await this.db
      .selectFrom('user_associations')
      .select('state')
      .where('arn', '=', arn)
      .where('account_id', '=', caller.accountId)
      .executeTakeFirst();
    if (!row) throw resourceNotFound(`Instance user ${arn}`);
    return row.state;
  }

  private async registrations(arns: string[]): Promise<IdentityProviderRegistration[]> {
    const rows = await this.db.selectFrom('identity_providers').select('state').where('arn', 'in', arns).execute();
    return rows.map((row) => row.state);
  }
}

function memberOf(name: string, value: string | undefined): string {
  const trimmed = value?.trim();
  if (!trimmed) throw validation(`${name} is required.`);
  return trimmed;
}

/** The user's domain: the directory's own; another is refused, as StartProductSubscription refuses it. */
function domainOf(registration: IdentityProviderRegistration, domain: string | undefined): string {
  const own = registration.directory.domainName.toLowerCase();
  if (domain !== undefined && domain.trim().toLowerCase() !== own)
    throw validation(
      `Domain ${domain} is not the domain of directory ${registration.directory.directoryId} (${own}); users of trusted domains are not associated in this deployment.`,
    );
  return own;
}

const ownerOnly = (registration: IdentityProviderRegistration) =>
  validation(
    `Directory ${registration.directory.directoryId} is shared with this account: users are associated only in the directory owner's account.`,
  );
