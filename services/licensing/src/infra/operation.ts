import type { LicenseManager } from '@lm/api-model';
import { operationSubject } from '@lm/messaging';
import type { OperationRequest, OwnedOperation } from '@lm/contracts';
import { SERVICE_NAME } from './licensing-infrastructure';

/** The request a handler of `Op` receives: the caller and the input typed from the API model. */
export type Request<Op extends keyof LicenseManager.Operations> = OperationRequest<
  LicenseManager.Operations[Op]['input']
>;

/** The NATS subject of one of this service's operations. */
export const subject = (operation: OwnedOperation<typeof SERVICE_NAME> & keyof LicenseManager.Operations) =>
  operationSubject(SERVICE_NAME, operation);
