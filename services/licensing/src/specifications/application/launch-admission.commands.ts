import { Inject, Injectable } from '@nestjs/common';
import type { Extensions } from '@lm/api-model';
import { resourceArn } from '@lm/contracts';
import type { Caller } from '@lm/contracts';
import { AwsError, validation } from '@lm/contracts';
import { LicenseUsageRefused } from '../domain/consumption';
import type { ResourceFacts } from '../../shared/resource';
import { ConfigurationSharing } from '../../configurations/application/configuration-sharing.queries';
import { LicenseSpecificationCommands } from './license-specification.commands';
import { REGION } from '@lm/service-kit';

/** The extensions API knows fewer errors than license-manager: what a refusal is called there. */
const EXTENSION_ERRORS: Record<string, string> = {
  InvalidParameterValueException: 'ValidationException',
  InvalidResourceStateException: 'ValidationException',
};

/**
 * Launch admission: what the EC2 control plane asks AWS License Manager before it starts a
 * resource. Every configuration that applies (named in the request, or associated with the AMI
 * the resource is launched from) must have the licences; they are then reserved for the
 * resource, atomically, by associating it. Asking again for the same resource reserves nothing more.
 */
@Injectable()
export class LaunchAdmission {
  constructor(
    private readonly specifications: LicenseSpecificationCommands,
    private readonly sharing: ConfigurationSharing,
    @Inject(REGION) private readonly region: string,
  ) {}

  async authorize(
    caller: Caller | undefined,
    input: Extensions.AuthorizeLaunchRequest,
  ): Promise<Extensions.AuthorizeLaunchResponse> {
    if (input.ResourceType === 'EC2_AMI')
      throw validation('An AMI is not launched: authorize the instances launched from it.');
    const accountId = launchingAccount(caller, input.AccountId);
    const region = input.Region ?? caller?.region ?? this.region;
    const resource: ResourceFacts = {
      resourceArn: resourceArn(input.ResourceType, region, accountId, input.ResourceId),
      resourceId: input.ResourceId,
      resourceType: input.ResourceType,
      accountId,
      region,
      state: 'pending',
      vCpuCount: input.VCpuCount,
      coreCount: input.CoreCount,
      socketCount: input.SocketCount,
      threadsPerCore: input.ThreadsPerCore,
      tenancy: input.Tenancy,
      hostId: input.HostId,
      amiId: input.AmiId,
      active: true,
    };
    const fromAmi = input.AmiId
      ? await this.specifications.configurationsOfAmi(resourceArn('EC2_AMI', region, accountId, input.AmiId), accountId)
      : [];
    const arns = [...new Set([...(input.LicenseConfigurationArns ?? []), ...fromAmi])];
    if (arns.length > 0) {
      try {
        // Without a signed caller the organization is unknown: only the account's own configurations apply.
        const usableOwners = caller
          ? await this.sharing.usableOwners({ accountId, region, organization: caller.organization })
          : new Set([accountId]);
        await this.specifications.apply({
          accountId,
          usableOwners,
          resource,
          add: arns.map((licenseConfigurationArn) => ({ licenseConfigurationArn })),
          remove: [],
        });
      } catch (error) {
        if (error instanceof LicenseUsageRefused) {
          await this.specifications.recordFailure(
            error.licenseConfigurationArn,
            resource,
            'AuthorizeLaunch',
            error.message,
            caller?.principalArn ?? 'nats',
          );
        }
        if (error instanceof AwsError && EXTENSION_ERRORS[error.code])
          throw new AwsError(EXTENSION_ERRORS[error.code], error.message);
        throw error;
      }
    }
    return { Authorized: true, LicenseConfigurationArns: arns };
  }
}

/**
 * The account the resource is launched in: the caller's, or a member account of the organization
 * the caller manages. Without a signed caller (straight from NATS) the request must name it.
 */
function launchingAccount(caller: Caller | undefined, requested: string | undefined): string {
  if (!caller) {
    if (!requested)
      throw new AwsError(
        'ValidationException',
        'AccountId is required when the request does not come through the gateway.',
      );
    return requested;
  }
  if (!requested || requested === caller.accountId) return caller.accountId;
  if (caller.organization?.memberAccountIds?.includes(requested)) return requested;
  throw new AwsError(
    'AccessDeniedException',
    `Account ${caller.accountId} cannot launch resources in account ${requested}.`,
  );
}
