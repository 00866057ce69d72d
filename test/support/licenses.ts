import { randomUUID } from 'node:crypto';
import {
  AcceptGrantCommand,
  CreateGrantCommand,
  CreateGrantVersionCommand,
  CreateLicenseCommand,
  GetLicenseCommand,
  type AllowedOperation,
  type ConsumptionConfiguration,
  type Entitlement,
  type License,
} from '@aws-sdk/client-license-manager';
import { licenseManager } from './clients';
import { credentialsOf, principals, type RunningSystem } from './system';

type Account = Parameters<typeof credentialsOf>[0];

export interface GrantedLicenseSpec {
  issuer: Account;
  /** The account the licence is granted to; it accepts and activates the grant. */
  grantee: Account;
  /** The issuer's KMS key that signs the licence (see createSigningKey); none: the issuer's managed key signs it. */
  signKey?: string;
  productSku: string;
  entitlements: Entitlement[];
  allowedOperations: AllowedOperation[];
  consumptionConfiguration: ConsumptionConfiguration;
}

export interface GrantedLicense {
  licenseArn: string;
  sku: string;
  /** The issuer key's fingerprint, which CheckoutLicense names the licence's product by with its SKU. */
  fingerprint: string;
  grantArn: string;
  license: License;
}

/** A PROVISIONAL CheckoutLicense input for one seat of a granted licence, with a fresh ClientToken. */
export const oneSeatCheckout = (license: GrantedLicense) => ({
  ProductSKU: license.sku,
  KeyFingerprint: license.fingerprint,
  CheckoutType: 'PROVISIONAL' as const,
  Entitlements: [{ Name: 'Seats', Unit: 'Count' as const, Value: '1' }],
  ClientToken: randomUUID(),
});

/** A licence valid from yesterday for a year, issued by `issuer` and granted to `grantee`, which has accepted and activated it. */
export async function grantedLicense(system: RunningSystem, spec: GrantedLicenseSpec): Promise<GrantedLicense> {
  const issuer = licenseManager(system, spec.issuer);
  const now = Date.now();
  const { LicenseArn } = await issuer.send(
    new CreateLicenseCommand({
      LicenseName: `Product ${spec.productSku}`,
      ProductName: 'Product',
      ProductSKU: spec.productSku,
      Issuer: { Name: 'Example ISV', SignKey: spec.signKey },
      HomeRegion: system.region,
      Validity: {
        Begin: new Date(now - 86_400_000).toISOString(),
        End: new Date(now + 365 * 86_400_000).toISOString(),
      },
      Entitlements: spec.entitlements,
      Beneficiary: 'customer@example.com',
      ConsumptionConfiguration: spec.consumptionConfiguration,
      ClientToken: randomUUID(),
    }),
  );
  const { License } = await issuer.send(new GetLicenseCommand({ LicenseArn }));
  const { GrantArn } = await issuer.send(
    new CreateGrantCommand({
      GrantName: `${spec.grantee.accountId} ${spec.productSku}`,
      LicenseArn,
      Principals: [principals.account(spec.grantee)],
      HomeRegion: system.region,
      AllowedOperations: spec.allowedOperations,
      ClientToken: randomUUID(),
    }),
  );
  await acceptAndActivate(system, spec.grantee, GrantArn!);
  return {
    licenseArn: LicenseArn!,
    sku: spec.productSku,
    fingerprint: License!.Issuer!.KeyFingerprint!,
    grantArn: GrantArn!,
    license: License!,
  };
}

/**
 * The grantee's console "Accept & activate": AcceptGrant leaves the grant DISABLED (the guide),
 * and CreateGrantVersion with Status ACTIVE activates it.
 */
export async function acceptAndActivate(system: RunningSystem, grantee: Account, grantArn: string): Promise<void> {
  const client = licenseManager(system, grantee);
  await client.send(new AcceptGrantCommand({ GrantArn: grantArn }));
  await client.send(new CreateGrantVersionCommand({ GrantArn: grantArn, Status: 'ACTIVE', ClientToken: randomUUID() }));
}

/**
 * The lease a LicenseConsumptionToken names, as grants records it: the token's first 16 hex digits
 * (the rest is its MAC; grants never keeps a token itself: consumption-tokens.ts).
 */
export const leaseIdOfToken = (token: string): string => token.slice(0, 16);

/**
 * A CreateLicense input for ten floating seats a year long, signed with `signKey`, that an issuer
 * checks out for a customer without an account (the token and secrets tests' licence).
 */
export function seatLicenceInput(spec: { name: string; sku: string; signKey: string; region: string }) {
  const now = Date.now();
  return {
    LicenseName: spec.name,
    ProductName: 'Analytics',
    ProductSKU: spec.sku,
    Issuer: { Name: 'Example ISV', SignKey: spec.signKey },
    HomeRegion: spec.region,
    Validity: {
      Begin: new Date(now - 86_400_000).toISOString(),
      End: new Date(now + 365 * 86_400_000).toISOString(),
    },
    Entitlements: [{ Name: 'Seats', Unit: 'Count' as const, MaxCount: 10, AllowCheckIn: true }],
    Beneficiary: 'customer-without-account',
    ConsumptionConfiguration: { RenewType: 'None' as const, ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
    ClientToken: randomUUID(),
  };
}
