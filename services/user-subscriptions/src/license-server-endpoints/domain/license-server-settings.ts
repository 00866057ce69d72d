import type { UserSubscriptions } from '@lm/api-model';
import { validation } from '@lm/contracts';
import { CREDENTIALS_SECRET_PREFIX } from '../../identity-providers/domain/directory';

/**
 * The secret an RDS SAL endpoint's LicenseServerSettings names: ServerType RDS_SAL (the model's
 * one server type) with ServerSettings.RdsSalSettings (the union's one member) and the Secrets
 * Manager secret of the license server's administrator, named with the guide's prefix.
 */
export function licenseServerSecretId(settings: UserSubscriptions.LicenseServerSettings | undefined): string {
  if (settings?.ServerType !== 'RDS_SAL') throw validation('LicenseServerSettings.ServerType must be RDS_SAL.');
  const secretId =
    settings.ServerSettings?.RdsSalSettings?.RdsSalCredentialsProvider?.SecretsManagerCredentialsProvider?.SecretId;
  if (!secretId)
    throw validation(
      'LicenseServerSettings.ServerSettings must give RdsSalSettings.RdsSalCredentialsProvider.SecretsManagerCredentialsProvider.SecretId.',
    );
  const name = secretId.includes(':secret:')
    ? secretId.slice(secretId.indexOf(':secret:') + ':secret:'.length)
    : secretId;
  if (!name.startsWith(CREDENTIALS_SECRET_PREFIX))
    throw validation(
      `The license server credentials secret's name must begin with ${CREDENTIALS_SECRET_PREFIX} (the guide's license server credential secrets).`,
    );
  return secretId;
}

/** ServerType of DeleteLicenseServerEndpoint: the endpoint's, RDS_SAL. */
export function checkedServerType(serverType: string | undefined): 'RDS_SAL' {
  if (serverType !== 'RDS_SAL') throw validation('ServerType must be RDS_SAL.');
  return serverType;
}
