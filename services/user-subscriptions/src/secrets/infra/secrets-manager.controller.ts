import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { SecretCommands } from '../application/secret.commands';
import { SecretQueries } from '../application/secret.queries';

const { subject } = operations('user-subscriptions');

/**
 * NATS handlers of the Secrets Manager subset (their subjects carry the IAM action names, e.g.
 * secretsmanager:TagResource, apart from this API's own tag operations); the gateway has validated
 * the input against the model.
 */
@Controller()
export class SecretsManagerController {
  constructor(
    private readonly commands: SecretCommands,
    private readonly queries: SecretQueries,
  ) {}

  @MessagePattern(subject('secretsmanager:CreateSecret'))
  createSecret(@Payload() { caller, input }: Request<'CreateSecret', 'secretsmanager'>) {
    return this.commands.create(caller, input);
  }

  @MessagePattern(subject('secretsmanager:GetSecretValue'))
  getSecretValue(@Payload() { caller, input }: Request<'GetSecretValue', 'secretsmanager'>) {
    return this.queries.value(caller, input);
  }

  @MessagePattern(subject('secretsmanager:PutSecretValue'))
  putSecretValue(@Payload() { caller, input }: Request<'PutSecretValue', 'secretsmanager'>) {
    return this.commands.putValue(caller, input);
  }

  @MessagePattern(subject('secretsmanager:DescribeSecret'))
  describeSecret(@Payload() { caller, input }: Request<'DescribeSecret', 'secretsmanager'>) {
    return this.queries.describe(caller, input.SecretId);
  }

  @MessagePattern(subject('secretsmanager:ListSecrets'))
  listSecrets(@Payload() { caller, input }: Request<'ListSecrets', 'secretsmanager'>) {
    return this.queries.list(caller, input);
  }

  @MessagePattern(subject('secretsmanager:DeleteSecret'))
  deleteSecret(@Payload() { caller, input }: Request<'DeleteSecret', 'secretsmanager'>) {
    return this.commands.delete(caller, input);
  }

  @MessagePattern(subject('secretsmanager:TagResource'))
  tagResource(@Payload() { caller, input }: Request<'TagResource', 'secretsmanager'>) {
    return this.commands.tag(caller, input);
  }

  @MessagePattern(subject('secretsmanager:UntagResource'))
  untagResource(@Payload() { caller, input }: Request<'UntagResource', 'secretsmanager'>) {
    return this.commands.untag(caller, input);
  }
}
