import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { UserSubscriptions } from '@lm/api-model';
import { validation, type Caller } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, EVENT_STORE, REGION, type Clock } from '@lm/service-kit';
import { parseUserSubscriptionsArn, userSubscriptionsArn } from '../../shared/arns';
import { productOf } from '../../shared/products';
import type { IdentityProviderCommand } from '../domain/commands';
import { identityProviderDecider, identityProviderStream } from '../domain/decide';
import { directoryFor, requestedDirectory, requestedDirectoryId } from '../domain/directory';
import { identityProviderNotFound } from '../domain/errors';
import { toIdentityProviderSummary, type IdentityProviderRegistration } from '../domain/identity-provider';
import { vpcSettingsOf } from '../domain/vpc-settings';
import { DeregistrationBlockers } from './deregistration-blockers';
import { IdentityProviderSteps } from './identity-provider.steps';
import { RegisteredDirectories } from './registered-directories';

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
type CallerCommand = DistributiveOmit<
  Extract<
    IdentityProviderCommand,
    {
      type:
        | 'UpdateIdentityProviderSettings'
        | 'DeregisterIdentityProvider'
        | 'TagIdentityProvider'
        | 'UntagIdentityProvider';
    }
  >,
  'arn' | 'accountId' | 'now'
>;

/** The ways a request names a registration: its ARN, or its directory and product. */
interface RegistrationRef {
  IdentityProviderArn?: string;
  IdentityProvider?: UserSubscriptions.IdentityProvider;
  Product?: string;
}

/**
 * Registrations a caller makes, changes and ends, in its own account. Registration and
 * deregistration answer at once (REGISTERING, DEREGISTERING); the steps finish them.
 */
@Injectable()
export class IdentityProviderCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
    private readonly directories: RegisteredDirectories,
    private readonly blockers: DeregistrationBlockers,
    private readonly steps: IdentityProviderSteps,
  ) {}

  async register(
    caller: Caller,
    input: UserSubscriptions.RegisterIdentityProviderRequest,
  ): Promise<UserSubscriptions.RegisterIdentityProviderResponse> {
    const product = productOf(input.Product);
    const requested = requestedDirectory(input.IdentityProvider);
    const settings = vpcSettingsOf(input.Settings, product);
    const known = await this.directories.known(caller.accountId, {
      directoryId: requested.directoryId,
      domainName: requested.type !== 'AWS_MANAGED' ? requested.settings?.domainName : undefined,
    });
    const directory = directoryFor(requested, product, known, newDirectoryId);
    const arn = userSubscriptionsArn('identity-provider', this.region, caller.accountId, randomUUID());
    const tags = input.Tags ?? {};
    const { state } = await handleCommand(
      this.store,
      identityProviderStream(caller.accountId, directory.directoryId, product),
      identityProviderDecider,
      {
        type: 'RegisterIdentityProvider',
        arn,
        accountId: caller.accountId,
        region: this.region,
        product,
        directory,
        settings,
        tags,
        now: this.clock.now(),
      },
    );
    this.steps.soon(arn);
    return { IdentityProviderSummary: toIdentityProviderSummary(state.registration!) };
  }

  async deregister(
    caller: Caller,
    input: UserSubscriptions.DeregisterIdentityProviderRequest,
  ): Promise<UserSubscriptions.DeregisterIdentityProviderResponse> {
    const registration = await this.named(caller, input);
    const blockers = await this.blockers.of(registration);
    const summary = await this.onOwn(registration, { type: 'DeregisterIdentityProvider', blockers });
    this.steps.soon(registration.arn);
    return { IdentityProviderSummary: summary };
  }

  async updateSettings(
    caller: Caller,
    input: UserSubscriptions.UpdateIdentityProviderSettingsRequest,
  ): Promise<UserSubscriptions.UpdateIdentityProviderSettingsResponse> {
    const registration = await this.named(caller, input);
    const summary = await this.onOwn(registration, {
      type: 'UpdateIdentityProviderSettings',
      update: input.UpdateSettings,
    });
    return { IdentityProviderSummary: summary };
  }

  /** TagResource on the caller's registration (ResourceTags); another account's is not found. */
  async tag(caller: Caller, arn: string, tags: Record<string, string>): Promise<void> {
    await this.onOwn(await this.named(caller, { IdentityProviderArn: arn }), { type: 'TagIdentityProvider', tags });
  }

  async untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    await this.onOwn(await this.named(caller, { IdentityProviderArn: arn }), {
      type: 'UntagIdentityProvider',
      tagKeys,
    });
  }

  async tagsOf(caller: Caller, arn: string): Promise<Record<string, string>> {
    return (await this.named(caller, { IdentityProviderArn: arn })).tags;
  }

  /**
   * The caller's registration a request names, by IdentityProviderArn or by IdentityProvider and
   * Product (one or the other); another account's is not found.
   */
  private async named(caller: Caller, ref: RegistrationRef): Promise<IdentityProviderRegistration> {
    const byArn = ref.IdentityProviderArn !== undefined;
    if (byArn === (ref.IdentityProvider !== undefined || ref.Product !== undefined))
      throw validation('Name the identity provider by IdentityProviderArn, or by IdentityProvider and Product.');
    if (byArn) {
      const arn = ref.IdentityProviderArn!;
      const parts = parseUserSubscriptionsArn('identity-provider', arn);
      if (!parts) throw validation(`${arn} is not an identity provider ARN.`);
      const registration =
        parts.accountId === caller.accountId && parts.region === this.region
          ? await this.directories.byArn(caller.accountId, arn)
          : undefined;
      if (!registration) throw identityProviderNotFound(arn);
      return registration;
    }
    const product = productOf(ref.Product);
    const directoryId = requestedDirectoryId(ref.IdentityProvider);
    const registration = await this.directories.registration(caller.accountId, directoryId, product);
    if (!registration) throw identityProviderNotFound(`of directory ${directoryId} for ${product}`);
    return registration;
  }

  private async onOwn(
    registration: IdentityProviderRegistration,
    command: CallerCommand,
  ): Promise<UserSubscriptions.IdentityProviderSummary> {
    const { state } = await handleCommand(
      this.store,
      identityProviderStream(registration.accountId, registration.directory.directoryId, registration.product),
      identityProviderDecider,
      {
        ...command,
        arn: registration.arn,
        accountId: registration.accountId,
        now: this.clock.now(),
      } as IdentityProviderCommand,
    );
    return toIdentityProviderSummary(state.registration!);
  }
}

/** AWS's forms: d- and ten hex digits for an AWS managed directory, sd- for a self-managed one. */
const newDirectoryId = (type: 'SELF_MANAGED' | 'AWS_MANAGED') =>
  `${type === 'SELF_MANAGED' ? 'sd' : 'd'}-${randomBytes(5).toString('hex')}`;
