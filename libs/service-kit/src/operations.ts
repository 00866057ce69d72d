import type {
  ApiId,
  CloudTrail,
  Extensions,
  Kms,
  LicenseManager,
  LinuxSubscriptions,
  Monitoring,
  SecretsManager,
  Sts,
  UserSubscriptions,
} from '@lm/api-model';
import type { OperationRequest, OwnedOperation, ServiceName } from '@lm/contracts';
import { operationSubject } from '@lm/messaging';

interface OperationsByApi {
  'license-manager': LicenseManager.Operations;
  'license-manager-extensions': Extensions.Operations;
  'license-manager-user-subscriptions': UserSubscriptions.Operations;
  'license-manager-linux-subscriptions': LinuxSubscriptions.Operations;
  kms: Kms.Operations;
  sts: Sts.Operations;
  monitoring: Monitoring.Operations;
  cloudtrail: CloudTrail.Operations;
  secretsmanager: SecretsManager.Operations;
}

/** The operations of the APIs `Api` names. */
export type OperationOf<Api extends ApiId> = Api extends ApiId ? keyof OperationsByApi[Api] & string : never;

type InputOf<Api extends ApiId, Op> = Api extends ApiId
  ? Op extends keyof OperationsByApi[Api]
    ? OperationsByApi[Api][Op] extends { input: infer Input }
      ? Input
      : never
    : never
  : never;

/**
 * The request a handler of `Op` receives: the caller and the input typed from the API model.
 * `Api` defaults to license-manager and this product's extensions; others name theirs, e.g.
 * `Request<'CreateKey', 'kms'>`.
 */
export type Request<
  Op extends OperationOf<Api>,
  Api extends ApiId = 'license-manager' | 'license-manager-extensions',
> = OperationRequest<InputOf<Api, Op>>;

/**
 * The NATS subjects of a service's operations, for its controllers' `@MessagePattern`s:
 * `const { subject } = operations('licensing')`, then `subject('CreateLicenseConfiguration')`.
 * Typed by the ownership table, so a controller cannot listen for another service's operation.
 */
export function operations<S extends ServiceName>(service: S) {
  return { subject: (operation: OwnedOperation<S>) => operationSubject(service, operation) };
}
