import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { SecretsManager } from '@lm/api-model';
import type { Caller, OwnedOperation } from '@lm/contracts';
import { OperationClient, operationSubject } from '@lm/messaging';
import { SecretUnusableError, type ProviderSecrets, type SecretOwner } from '../application/provider-secrets';

/** Secrets Manager's own failures (and the transport's name for an unexpected one): not the secret's fault. */
const INTERNAL_ERRORS = ['InternalServiceError', 'ServerInternalException'];

/**
 * The Secrets Manager subset (served by user-subscriptions) asked over NATS request/reply on its
 * own operation subjects, as the secret's account (its root principal): it answers exactly what
 * that account would see, and refuses what it would refuse it. The value travels in the reply
 * only, as it does to the gateway; it is never logged or recorded here.
 */
@Injectable()
export class NatsProviderSecrets implements ProviderSecrets {
  constructor(private readonly client: OperationClient) {}

  async tagsOf(owner: SecretOwner, secretArn: string): Promise<Record<string, string>> {
    const secret = await this.ask<SecretsManager.DescribeSecretResponse>(owner, 'secretsmanager:DescribeSecret', {
      SecretId: secretArn,
    });
    if (secret.DeletedDate !== undefined)
      throw new SecretUnusableError(`Secret ${secretArn} is scheduled for deletion.`);
    return Object.fromEntries((secret.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  }

  async valueOf(owner: SecretOwner, secretArn: string): Promise<string> {
    const value = await this.ask<SecretsManager.GetSecretValueResponse>(owner, 'secretsmanager:GetSecretValue', {
      SecretId: secretArn,
    });
    if (typeof value.SecretString !== 'string')
      throw new SecretUnusableError(`Secret ${secretArn} holds a binary value, not the Red Hat offline token.`);
    return value.SecretString;
  }

  private async ask<Output>(
    owner: SecretOwner,
    operation: OwnedOperation<'user-subscriptions'>,
    input: { SecretId: string },
  ): Promise<Output> {
    const caller: Caller = {
      accountId: owner.accountId,
      principalArn: `arn:aws:iam::${owner.accountId}:root`,
      // No access key signed this: Linux subscriptions reads the secret on the account's behalf.
      accessKeyId: 'linux-subscriptions',
      region: owner.region,
    };
    const reply = await this.client.call(operationSubject('user-subscriptions', operation), {
      requestId: randomUUID(),
      caller,
      input,
    });
    if (reply.ok) return reply.output as Output;
    // What the owner's own request would be refused for: the secret cannot be used.
    if (!INTERNAL_ERRORS.includes(reply.error.name))
      throw new SecretUnusableError(`Secret ${input.SecretId} cannot be read: ${reply.error.message}`);
    throw new Error(`Secrets Manager failed to answer ${operation}: ${reply.error.message}`);
  }
}
