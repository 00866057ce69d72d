import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { SigningKeyCommands } from '../application/signing-key.commands';
import { SigningKeyQueries } from '../application/signing-key.queries';

const { subject } = operations('grants');

/** NATS handlers of the KMS subset (signing keys); the gateway has validated the input against the KMS model. */
@Controller()
export class KmsController {
  constructor(
    private readonly commands: SigningKeyCommands,
    private readonly queries: SigningKeyQueries,
  ) {}

  @MessagePattern(subject('CreateKey'))
  createKey(@Payload() { caller, input }: Request<'CreateKey', 'kms'>) {
    return this.commands.create(caller, input);
  }

  @MessagePattern(subject('DescribeKey'))
  describeKey(@Payload() { caller, input }: Request<'DescribeKey', 'kms'>) {
    return this.queries.describe(caller, input.KeyId);
  }

  @MessagePattern(subject('GetPublicKey'))
  getPublicKey(@Payload() { caller, input }: Request<'GetPublicKey', 'kms'>) {
    return this.queries.getPublicKey(caller, input.KeyId);
  }

  @MessagePattern(subject('ListKeys'))
  listKeys(@Payload() { caller, input }: Request<'ListKeys', 'kms'>) {
    return this.queries.list(caller, input);
  }

  @MessagePattern(subject('ScheduleKeyDeletion'))
  scheduleKeyDeletion(@Payload() { caller, input }: Request<'ScheduleKeyDeletion', 'kms'>) {
    return this.commands.scheduleDeletion(caller, input);
  }
}
