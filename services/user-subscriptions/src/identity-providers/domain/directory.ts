import type { UserSubscriptions } from '@lm/api-model';
import { validation, type ActiveDirectoryDescription } from '@lm/contracts';
import { needsAwsManagedDirectory, type Product } from '../../shared/products';

/** An Active Directory as this deployment reaches it (see @lm/contracts). */
export type ActiveDirectory = ActiveDirectoryDescription;
export type ActiveDirectoryType = ActiveDirectory['type'];

/** What a request says of the directory: an id, settings, or both. */
export interface RequestedDirectory {
  directoryId?: string;
  type?: ActiveDirectoryType;
  shared: boolean;
  settings?: Pick<ActiveDirectory, 'domainName' | 'addresses' | 'ipVersion' | 'secretId' | 'subnets'>;
}

/** The prefix of the names of the secrets License Manager reads credentials from. */
export const CREDENTIALS_SECRET_PREFIX = 'license-manager-user-';

const SUBNET = /^subnet-[a-z0-9]{8,17}/;

/** The `IdentityProvider` union of a request: its one member, ActiveDirectoryIdentityProvider. */
export function requestedDirectory(provider: UserSubscriptions.IdentityProvider | undefined): RequestedDirectory {
  const directory = provider?.ActiveDirectoryIdentityProvider;
  if (!directory) throw validation('IdentityProvider must give ActiveDirectoryIdentityProvider.');
  const type = directory.ActiveDirectoryType as ActiveDirectoryType | undefined;
  if (type !== undefined && type !== 'SELF_MANAGED' && type !== 'AWS_MANAGED')
    throw validation('ActiveDirectoryType must be SELF_MANAGED or AWS_MANAGED.');
  return {
    directoryId: directory.DirectoryId,
    type,
    shared: directory.IsSharedActiveDirectory === true,
    settings: directory.ActiveDirectorySettings ? settingsOf(directory.ActiveDirectorySettings) : undefined,
  };
}

/** The DirectoryId that operations other than registration name an identity provider by. */
export function requestedDirectoryId(provider: UserSubscriptions.IdentityProvider | undefined): string {
  const { directoryId } = requestedDirectory(provider);
  if (!directoryId)
    throw validation(
      'IdentityProvider.ActiveDirectoryIdentityProvider.DirectoryId must name the registered directory.',
    );
  return directoryId;
}

function settingsOf(settings: UserSubscriptions.ActiveDirectorySettings): RequestedDirectory['settings'] {
  const domainName = settings.DomainName?.trim();
  if (!domainName || !/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(domainName))
    throw validation(
      "ActiveDirectorySettings.DomainName must be the directory's DNS domain name, e.g. corp.example.com.",
    );
  const ipv4 = settings.DomainIpv4List ?? [];
  const ipv6 = settings.DomainIpv6List ?? [];
  if (ipv4.length > 0 && ipv6.length > 0)
    throw validation('ActiveDirectorySettings takes DomainIpv4List or DomainIpv6List, not both.');
  const addresses = ipv4.length > 0 ? ipv4 : ipv6;
  // The model: one or two domain controllers, the primary and the secondary.
  if (addresses.length < 1 || addresses.length > 2)
    throw validation("ActiveDirectorySettings must give the directory's one or two domain controller addresses.");
  const secretId = settings.DomainCredentialsProvider?.SecretsManagerCredentialsProvider?.SecretId;
  if (!secretId)
    throw validation(
      "ActiveDirectorySettings.DomainCredentialsProvider.SecretsManagerCredentialsProvider.SecretId must name the secret of the directory's credentials.",
    );
  // The guide: License Manager finds its credential secrets by their name's prefix.
  const secretName = secretId.includes(':secret:') ? secretId.slice(secretId.indexOf(':secret:') + 8) : secretId;
  if (!secretName.startsWith(CREDENTIALS_SECRET_PREFIX))
    throw validation(
      `The credentials secret's name must begin with ${CREDENTIALS_SECRET_PREFIX} (the guide's administrative credentials secret).`,
    );
  const subnets = settings.DomainNetworkSettings?.Subnets ?? [];
  if (subnets.length === 0)
    throw validation('ActiveDirectorySettings.DomainNetworkSettings.Subnets must name at least one subnet.');
  for (const subnet of subnets) if (!SUBNET.test(subnet)) throw validation(`${subnet} is not a subnet ID.`);
  return {
    domainName,
    addresses,
    ipVersion: ipv4.length > 0 ? 'IPV4' : 'IPV6',
    secretId,
    subnets: [...new Set(subnets)],
  };
}

/**
 * The directory a registration for `product` is made with. Settings come from the request or,
 * when it gives a DirectoryId alone, from the account's earlier registration of that directory:
 * this deployment has no AWS Directory Service to look an AWS managed directory up in, so the
 * first registration of a directory must give its settings (docs/user-subscriptions.md).
 */
export function directoryFor(
  requested: RequestedDirectory,
  product: Product,
  known: ActiveDirectory | undefined,
  newDirectoryId: (type: ActiveDirectoryType) => string,
): ActiveDirectory {
  const type =
    requested.type ?? known?.type ?? (requested.directoryId?.startsWith('sd-') ? 'SELF_MANAGED' : 'AWS_MANAGED');
  if (needsAwsManagedDirectory(product) && type === 'SELF_MANAGED')
    throw validation(
      `${product} needs an AWS managed Active Directory; a self-managed directory's users reach it through a two-way forest trust with one.`,
    );
  if (known && known.type !== type)
    throw validation(`Directory ${known.directoryId} is registered as ${known.type}, not ${type}.`);
  const settings = requested.settings ?? known;
  if (!settings) {
    const named = requested.directoryId ? `Directory ${requested.directoryId} is` : 'The directory is';
    throw validation(
      `${named} not registered in this account yet: give its ActiveDirectorySettings (DomainName, DomainIpv4List, DomainCredentialsProvider, DomainNetworkSettings); this deployment reaches every directory, AWS managed or self-managed, through them.`,
    );
  }
  const directoryId = requested.directoryId ?? known?.directoryId ?? newDirectoryId(type);
  if (directoryId.startsWith('sd-') !== (type === 'SELF_MANAGED'))
    throw validation(
      `DirectoryId ${directoryId} does not name a ${type} directory (d-... is AWS managed, sd-... self-managed).`,
    );
  const { domainName, addresses, ipVersion, secretId, subnets } = settings;
  return { directoryId, type, shared: requested.shared, domainName, addresses, ipVersion, secretId, subnets };
}

/** The directory as the API's IdentityProvider union describes it (a secret's id, never its value). */
export function toIdentityProviderOutput(directory: ActiveDirectory): UserSubscriptions.IdentityProvider {
  return {
    ActiveDirectoryIdentityProvider: {
      DirectoryId: directory.directoryId,
      ActiveDirectoryType: directory.type,
      IsSharedActiveDirectory: directory.shared,
      ActiveDirectorySettings: {
        DomainName: directory.domainName,
        ...(directory.ipVersion === 'IPV4'
          ? { DomainIpv4List: directory.addresses }
          : { DomainIpv6List: directory.addresses }),
        DomainCredentialsProvider: { SecretsManagerCredentialsProvider: { SecretId: directory.secretId } },
        DomainNetworkSettings: { Subnets: directory.subnets },
      },
    },
  };
}
