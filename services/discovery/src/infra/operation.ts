import type { Extensions, LicenseManager } from '@lm/api-model';
import { operationSubject } from '@lm/messaging';
import type { OperationRequest, OwnedOperation } from '@lm/contracts';
import { SERVICE_NAME } from './discovery-infrastructure';

type Operations = LicenseManager.Operations & Extensions.Operations;

/** The request a handler of `Op` receives: the caller and the input typed from the API model. */
export type Request<Op extends keyof Operations> = OperationRequest<Operations[Op]['input']>;

/** The NATS subject of one of this service's operations (of the AWS API or of the extensions). */
export const subject = (operation: OwnedOperation<typeof SERVICE_NAME> & keyof Operations) =>
  operationSubject(SERVICE_NAME, operation);
