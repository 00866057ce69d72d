import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Sts } from '@lm/api-model';
import { type ResolveSessionCredentialsRequest } from '@lm/messaging';
import { operations } from '@lm/service-kit';
import { type AnonymousOperationRequest } from '@lm/contracts';
import { TemporaryCredentialsCommands } from '../application/temporary-credentials.commands';
import { TemporaryCredentialsVault } from '../application/temporary-credentials.vault';

const { subject } = operations('grants');

/**
 * The STS subset (AssumeRoleWithWebIdentity, unsigned: the web identity token is the credential)
 * and the gateway's question about the temporary credentials it hands out.
 */
@Controller()
export class StsController {
  constructor(
    private readonly credentials: TemporaryCredentialsCommands,
    private readonly vault: TemporaryCredentialsVault,
  ) {}

  @MessagePattern(subject('AssumeRoleWithWebIdentity'))
  assumeRoleWithWebIdentity(@Payload() { input }: AnonymousOperationRequest<Sts.AssumeRoleWithWebIdentityRequest>) {
    return this.credentials.assumeRoleWithWebIdentity(input);
  }

  /** Only the gateway asks: it verifies a SigV4 signature made with temporary credentials. */
  @MessagePattern(subject('ResolveSessionCredentials'))
  resolveSessionCredentials(@Payload() { input }: ResolveSessionCredentialsRequest) {
    return this.vault.resolve(input.AccessKeyId);
  }
}
