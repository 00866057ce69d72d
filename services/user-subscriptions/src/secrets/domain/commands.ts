import type { SealedSecretValue, SecretCreatedData, SecretTag } from './secret';

export type SecretCommand =
  /** `secret.arn` carries a fresh random suffix; a retry with the same version and value changes nothing. */
  | { type: 'CreateSecret'; secret: SecretCreatedData; value?: SealedSecretValue }
  | { type: 'PutSecretValue'; target: SecretTarget; value: SealedSecretValue; stages: string[]; now: Date }
  | { type: 'TagSecret'; target: SecretTarget; tags: SecretTag[]; now: Date }
  | { type: 'UntagSecret'; target: SecretTarget; tagKeys: string[]; now: Date }
  | {
      type: 'DeleteSecret';
      target: SecretTarget;
      recoveryWindowInDays?: number;
      forceDeleteWithoutRecovery?: boolean;
      now: Date;
    }
  /** The sweep: deletes the secret for good once its recovery window has passed. */
  | { type: 'PurgeSecret'; now: Date };

/** The secret a request names: by its ARN (which must be this secret's, not a former one of the same name) or its name. */
export interface SecretTarget {
  arn?: string;
}
