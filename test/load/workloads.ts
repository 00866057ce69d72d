import { randomUUID } from 'node:crypto';
import { expectOk } from './load-checks';
import type { SignedHttpClient } from './signed-http-client';

/**
 * The requests of the hot paths the load suites measure, each sent with the lean signed client
 * and failing (so that runLoad counts an error) unless answered 200.
 */
const call = async (client: SignedHttpClient, operation: string, input: unknown) =>
  JSON.parse(expectOk(await client.call(operation, input)));

export async function createConfiguration(
  client: SignedHttpClient,
  input: { Name: string; LicenseCountingType: string; LicenseCount: number; LicenseCountHardLimit?: boolean },
): Promise<string> {
  return (await call(client, 'CreateLicenseConfiguration', input)).LicenseConfigurationArn;
}

export async function getConfiguration(client: SignedHttpClient, arn: string): Promise<void> {
  await call(client, 'GetLicenseConfiguration', { LicenseConfigurationArn: arn });
}

/** The extensions API's AuthorizeLaunch of a new instance (2 vCPUs) against one configuration. */
export async function authorizeLaunch(client: SignedHttpClient, arn: string, instanceId: string) {
  return client.callRest('/launch/AuthorizeLaunch', {
    ResourceId: instanceId,
    ResourceType: 'EC2_INSTANCE',
    VCpuCount: 2,
    LicenseConfigurationArns: [arn],
  });
}

/** An EC2-shaped instance id (i- and 17 hex digits) for the n-th launch of a run. */
export const instanceId = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;

/** What CheckoutLicense names a licence by. */
export interface CheckoutProduct {
  ProductSKU: string;
  KeyFingerprint: string;
  LicenseArn: string;
}

const BENEFICIARY = 'customer@example.com';

/**
 * A licence of `seats` floating seats that its issuer checks out on behalf of a customer, signed
 * with a KMS key of the same account.
 */
export async function createSeatLicence(
  client: SignedHttpClient,
  region: string,
  seats: number,
): Promise<CheckoutProduct> {
  const kms = client.forService('kms', 'TrentService');
  const key = await call(kms, 'CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
  const { LicenseArn } = await call(client, 'CreateLicense', {
    LicenseName: 'Floating seats',
    ProductName: 'Load',
    ProductSKU: 'load-seats',
    Issuer: { Name: 'Load ISV', SignKey: key.KeyMetadata.Arn },
    HomeRegion: region,
    Validity: { Begin: new Date(Date.now() - 86_400_000).toISOString() },
    Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: seats, AllowCheckIn: true }],
    Beneficiary: BENEFICIARY,
    ConsumptionConfiguration: { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
    ClientToken: randomUUID(),
  });
  const { License } = await call(client, 'GetLicense', { LicenseArn });
  return { ProductSKU: 'load-seats', KeyFingerprint: License.Issuer.KeyFingerprint, LicenseArn };
}

/** Checks out one seat (PROVISIONAL) and resolves with the consumption token. */
export async function checkoutSeat(client: SignedHttpClient, product: CheckoutProduct): Promise<string> {
  const { LicenseConsumptionToken } = await call(client, 'CheckoutLicense', {
    ProductSKU: product.ProductSKU,
    KeyFingerprint: product.KeyFingerprint,
    CheckoutType: 'PROVISIONAL',
    Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
    Beneficiary: BENEFICIARY,
    ClientToken: randomUUID(),
  });
  return LicenseConsumptionToken;
}

export async function checkInSeat(client: SignedHttpClient, token: string): Promise<void> {
  await call(client, 'CheckInLicense', { LicenseConsumptionToken: token, Beneficiary: BENEFICIARY });
}

/**
 * Per simulated client, a checkout and then the check-in of its token, one request per call: so
 * that each request is timed on its own and requests, not pairs, are counted.
 */
export function alternatingCheckouts(client: SignedHttpClient, product: CheckoutProduct) {
  const held = new Map<number, string>();
  return {
    next: async (simulated: number) => {
      const token = held.get(simulated);
      if (token === undefined) held.set(simulated, await checkoutSeat(client, product));
      else {
        held.delete(simulated);
        await checkInSeat(client, token);
      }
    },
    /** Checks in what is still held when a run ends, leaving nothing consumed. */
    settle: async () => {
      await Promise.all([...held.values()].map((token) => checkInSeat(client, token)));
      held.clear();
    },
  };
}
