import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Kms } from '@lm/api-model';
import { operationSubject } from '@lm/messaging';
import { type OperationRequest } from '@lm/contracts';
import { SigningKeyCommands } from '../application/signing-key.commands';
import { SigningKeyQueries } from '../application/signing-key.queries';
import { SERVICE_NAME } from '../../infra/grants-infrastructure';

/** What a handler of the KMS operation `Op` receives. */
type KmsRequest<Op extends keyof Kms.Operations> = OperationRequest<Kms.Operations[Op]['input']>;

const subject = (operation: keyof Kms.Operations) => operationSubject(SERVICE_NAME, operation);

/** NATS handlers of the KMS subset (signing keys); the gateway has validated the input against the KMS model. */
@Controller()
export class KmsController {
  constructor(
    private readonly commands: SigningKeyCommands,
    private readonly queries: SigningKeyQueries,
  ) {}

  @MessagePattern(subject('CreateKey'))
  createKey(@Payload() { caller, input }: KmsRequest<'CreateKey'>) {
    return this.commands.create(caller, input);
  }

  @MessagePattern(subject('DescribeKey'))
  describeKey(@Payload() { caller, input }: KmsRequest<'DescribeKey'>) {
    return this.queries.describe(caller, input.KeyId);
  }

  @MessagePattern(subject('GetPublicKey'))
  getPublicKey(@Payload() { caller, input }: KmsRequest<'GetPublicKey'>) {
    return this.queries.getPublicKey(caller, input.KeyId);
  }

  @MessagePattern(subject('ListKeys'))
  listKeys(@Payload() { caller, input }: KmsRequest<'ListKeys'>) {
    return this.queries.list(caller, input);
  }

  @MessagePattern(subject('ScheduleKeyDeletion'))
  scheduleKeyDeletion(@Payload() { caller, input }: KmsRequest<'ScheduleKeyDeletion'>) {
    return this.commands.scheduleDeletion(caller, input);
  }
}
