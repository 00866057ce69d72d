import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Extensions, UserSubscriptions } from '@lm/api-model';
import { AwsError, conflict, validation, type Caller } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, EVENT_STORE, REGION, type Clock } from '@lm/service-kit';
import { RegisteredDirectories } from '../../identity-providers/application/registered-directories';
import { credentialsIn } from '../../identity-providers/domain/credentials';
import { identityProviderNotFound } from '../../identity-providers/domain/errors';
import type { IdentityProviderRegistration } from '../../identity-providers/domain/identity-provider';
import { SecretUnavailableError, SecretValues } from '../../secrets/application/secret-values';
import { parseUserSubscriptionsArn, userSubscriptionsArn } from '../../shared/arns';
import { RDS_SAL } from '../../shared/products';
import type { LicenseServerEndpointCommand } from '../domain/commands';
import { licenseServerEndpointDecider, licenseServerEndpointStream } from '../domain/decide';
import { licenseServerEndpointNotFound } from '../domain/errors';
import { toLicenseServerEndpointOutput, type LicenseServerEndpoint } from '../domain/license-server-endpoint';
import { checkedServerType, licenseServerSecretId } from '../domain/license-server-settings';
import { licenseServersReportOf } from '../domain/report';
import { LicenseServerEndpoints } from './license-server-endpoints';

/**
 * License server endpoints a caller creates and deletes in its own account, and the reports of the
 * integrator that starts and removes their servers. Creation and deletion answer at once
 * (PROVISIONING, DELETING); their events (LicenseServerEndpointRequested,
 * LicenseServerEndpointDeletionRequested) are the integrator's work.
 */
@Injectable()
export class LicenseServerEndpointCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
    private readonly directories: RegisteredDirectories,
    private readonly secrets: SecretValues,
    private readonly endpoints: LicenseServerEndpoints,
  ) {}

  async create(
    caller: Caller,
    input: UserSubscriptions.CreateLicenseServerEndpointRequest,
  ): Promise<UserSubscriptions.CreateLicenseServerEndpointResponse> {
    const registration = await this.rdsSalRegistration(caller, input.IdentityProviderArn);
    const secretId = licenseServerSecretId(input.LicenseServerSettings);
    await this.checkCredentials(caller.accountId, secretId);
    const arn = userSubscriptionsArn('license-server-endpoint', this.region, caller.accountId, randomUUID());
    await this.decide(registration.arn, {
      type: 'CreateLicenseServerEndpoint',
      arn,
      endpointId: arn.slice(arn.lastIndexOf('/') + 1),
      accountId: caller.accountId,
      region: this.region,
      identityProviderArn: registration.arn,
      secretId,
      directory: registration.directory,
      tags: input.Tags ?? {},
      now: this.clock.now(),
    });
    return { IdentityProviderArn: registration.arn, LicenseServerEndpointArn: arn };
  }

  async delete(
    caller: Caller,
    input: UserSubscriptions.DeleteLicenseServerEndpointRequest,
  ): Promise<UserSubscriptions.DeleteLicenseServerEndpointResponse> {
    checkedServerType(input.ServerType);
    const endpoint = await this.named(caller.accountId, input.LicenseServerEndpointArn);
    const state = await this.decide(endpoint.identityProviderArn, {
      type: 'DeleteLicenseServerEndpoint',
      arn: endpoint.arn,
      accountId: caller.accountId,
      now: this.clock.now(),
    });
    return { LicenseServerEndpoint: toLicenseServerEndpointOutput(state) };
  }

  /**
   * ReportLicenseServers: from a signed caller, about its own endpoints; from the bus (no caller),
   * trusted for the account the ARN names.
   */
  async report(
    caller: Caller | undefined,
    input: Extensions.ReportLicenseServersRequest,
  ): Promise<Extensions.ReportLicenseServersResponse> {
    const arn = input.LicenseServerEndpointArn;
    const parts = parseUserSubscriptionsArn('license-server-endpoint', arn ?? '');
    if (!parts) throw validation(`${arn} is not a license server endpoint ARN.`);
    const accountId = caller?.accountId ?? parts.accountId;
    const report = licenseServersReportOf(input);
    const endpoint = await this.named(accountId, arn);
    const state = await this.decide(endpoint.identityProviderArn, {
      type: 'ReportLicenseServers',
      arn,
      accountId,
      report,
      now: this.clock.now(),
    });
    return { LicenseServerEndpointArn: arn, LicenseServerEndpointProvisioningStatus: state.status };
  }

  async tag(caller: Caller, arn: string, tags: Record<string, string>): Promise<void> {
    const endpoint = await this.named(caller.accountId, arn);
    await this.decide(endpoint.identityProviderArn, {
      type: 'TagLicenseServerEndpoint',
      arn,
      accountId: caller.accountId,
      tags,
      now: this.clock.now(),
    });
  }

  async untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    const endpoint = await this.named(caller.accountId, arn);
    await this.decide(endpoint.identityProviderArn, {
      type: 'UntagLicenseServerEndpoint',
      arn,
      accountId: caller.accountId,
      tagKeys,
      now: this.clock.now(),
    });
  }

  async tagsOf(caller: Caller, arn: string): Promise<Record<string, string>> {
    return (await this.named(caller.accountId, arn)).tags;
  }

  /** The caller's REGISTERED RDS SAL registration the request names; another account's is not found. */
  private async rdsSalRegistration(caller: Caller, arn: string | undefined): Promise<IdentityProviderRegistration> {
    const parts = parseUserSubscriptionsArn('identity-provider', arn ?? '');
    if (!arn || !parts) throw validation(`${arn} is not an identity provider ARN.`);
    const registration =
      parts.accountId === caller.accountId && parts.region === this.region
        ? await this.directories.byArn(caller.accountId, arn)
        : undefined;
    if (!registration) throw identityProviderNotFound(arn);
    if (registration.product !== RDS_SAL)
      throw validation(`Identity provider ${arn} is registered for ${registration.product}, not ${RDS_SAL}.`);
    if (registration.status !== 'REGISTERED')
      throw conflict(`Identity provider ${arn} is ${registration.status}, not REGISTERED.`);
    return registration;
  }

  /** The guide's license server credentials: the caller's secret, holding the keys username and password. */
  private async checkCredentials(accountId: string, secretId: string): Promise<void> {
    let value: string;
    try {
      value = await this.secrets.read(accountId, secretId);
    } catch (error) {
      if (error instanceof SecretUnavailableError) throw new AwsError('ResourceNotFoundException', error.message);
      throw error;
    }
    const credentials = credentialsIn(secretId, value);
    if ('unusable' in credentials) throw validation(credentials.unusable);
  }

  private async named(accountId: string, arn: string | undefined): Promise<LicenseServerEndpoint> {
    const parts = parseUserSubscriptionsArn('license-server-endpoint', arn ?? '');
    if (!arn || !parts) throw validation(`${arn} is not a license server endpoint ARN.`);
    const endpoint =
      parts.accountId === accountId && parts.region === this.region
        ? await this.endpoints.byArn(accountId, arn)
        : undefined;
    if (!endpoint) throw licenseServerEndpointNotFound(arn);
    return endpoint;
  }

  private async decide(
    identityProviderArn: string,
    command: LicenseServerEndpointCommand,
  ): Promise<LicenseServerEndpoint> {
    const { state } = await handleCommand(
      this.store,
      licenseServerEndpointStream(identityProviderArn),
      licenseServerEndpointDecider,
      command,
    );
    return state.endpoint!;
  }
}
