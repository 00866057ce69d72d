import { setTimeout as sleep } from 'node:timers/promises';
import { awsCli, rawRequest } from './clients';
import { ADMINISTRATOR, startDirectory, type TestDirectory } from './directory';
import { accounts, startSystem, type RunningSystem } from './system';

/** A restJson1 call of the user subscriptions API, signed as the member account (no JS SDK of this API exists). */
export const callUserSubscriptions = (system: RunningSystem, path: string, body: unknown) =>
  rawRequest(system, {
    account: accounts.member,
    service: 'license-manager-user-subscriptions',
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/**
 * A call whose answer is known: 200, or the ConflictException that says an earlier attempt (whose
 * answer a crash swallowed) was recorded. Anything else throws with its HTTP status, so that 500,
 * 501 and 503 count as unanswered (support/crash.ts).
 */
export async function answered(system: RunningSystem, path: string, body: unknown) {
  const response = await callUserSubscriptions(system, path, body);
  const errorType = response.headers.get('x-amzn-errortype');
  if (response.status === 200 || errorType === 'ConflictException') return response;
  throw Object.assign(new Error(`${path}: ${response.status} ${errorType}: ${response.text}`), {
    $metadata: { httpStatusCode: response.status },
  });
}

/** Every page of a list operation, its items under `key`. */
export async function listAll<T>(system: RunningSystem, path: string, key: string, body: object): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const { json } = await callUserSubscriptions(system, path, { ...body, NextToken: token });
    items.push(...((json?.[key] ?? []) as T[]));
    token = json?.NextToken;
  } while (token);
  return items;
}

/** A private directory (slapd) and the whole system reaching it, with `environment` for the system. */
export async function startSystemWithDirectory(
  environment: Record<string, string>,
): Promise<{ directory: TestDirectory; system: RunningSystem }> {
  const directory = await startDirectory();
  try {
    const system = await startSystem({ LM_DIRECTORY_LDAP_PORT: String(directory.port), ...environment });
    return { directory, system };
  } catch (error) {
    await directory.destroy();
    throw error;
  }
}

/**
 * The member account's directory registered for RDS SAL, with the administrator's credentials in
 * the secret `license-manager-user-admin` (made through the AWS CLI), its subnets `subnets`
 * (and the VPC settings' too, when `withSettings`); resolves once it is REGISTERED.
 */
export async function registerDirectory(
  system: RunningSystem,
  directory: TestDirectory,
  options: { directoryId: string; subnets: string[]; withSettings?: boolean },
): Promise<void> {
  await awsCli(system, accounts.member, [
    'secretsmanager',
    'create-secret',
    '--name',
    'license-manager-user-admin',
    '--secret-string',
    JSON.stringify(ADMINISTRATOR),
  ]);
  const registered = await callUserSubscriptions(system, '/identity-provider/RegisterIdentityProvider', {
    Product: 'REMOTE_DESKTOP_SERVICES',
    IdentityProvider: {
      ActiveDirectoryIdentityProvider: {
        DirectoryId: options.directoryId,
        ActiveDirectorySettings: {
          DomainName: directory.domainName,
          DomainIpv4List: [directory.host],
          DomainCredentialsProvider: {
            SecretsManagerCredentialsProvider: { SecretId: 'license-manager-user-admin' },
          },
          DomainNetworkSettings: { Subnets: options.subnets },
        },
      },
    },
    ...(options.withSettings
      ? { Settings: { Subnets: options.subnets, SecurityGroupId: 'sg-0123456789abcdef0' } }
      : {}),
  });
  if (registered.status !== 200) throw new Error(`RegisterIdentityProvider: ${registered.status} ${registered.text}`);
  for (let i = 0; i < 100; i++) {
    const { json } = await callUserSubscriptions(system, '/identity-provider/ListIdentityProviders', {});
    if (json.IdentityProviderSummaries[0]?.Status === 'REGISTERED') return;
    await sleep(100);
  }
  throw new Error(`${options.directoryId} was not REGISTERED within 10 s`);
}
