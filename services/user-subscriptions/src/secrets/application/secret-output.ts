import type { SecretsManager } from '@lm/api-model';
import type { Secret } from '../domain/secret';

const seconds = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso) / 1000);

/** The versions that carry a staging label, by id: the others are deprecated and not shown. */
function versionsToStages(secret: Secret): Record<string, string[]> {
  return Object.fromEntries(
    secret.versions
      .filter((version) => version.stages.length > 0)
      .map((version) => [version.versionId, version.stages]),
  );
}

/** The details shared by DescribeSecret and ListSecrets' entries: never a value. */
function details(secret: Secret) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description !== undefined ? { Description: secret.description } : {}),
    LastChangedDate: seconds(secret.lastChangedAt),
    ...(secret.deletedDate !== undefined ? { DeletedDate: seconds(secret.deletedDate) } : {}),
    ...(secret.tags.length > 0 ? { Tags: secret.tags } : {}),
    CreatedDate: seconds(secret.createdAt),
  };
}

export const toDescribeSecretResponse = (secret: Secret): SecretsManager.DescribeSecretResponse => ({
  ...details(secret),
  VersionIdsToStages: versionsToStages(secret),
});

export const toSecretListEntry = (secret: Secret): SecretsManager.SecretListEntry => ({
  ...details(secret),
  SecretVersionsToStages: versionsToStages(secret),
});
