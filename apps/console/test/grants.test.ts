import { describe, expect, it } from 'vitest';
import type { LicenseManager } from '@lm/api-model';
import { LicenseManagerClient, type Fetch } from '../src/api/license-manager-client';
import { clientToken } from '../src/grants/client-token';
import { usageBars, usageText } from '../src/grants/entitlement-usage';
import { grantActions, GRANT_STATUS_LABELS } from '../src/grants/grant-status';
import { createLicenseRequest, emptyEntitlement, type IssuedLicenseForm } from '../src/grants/issued-license-form';
import { describePrincipal, principalOf } from '../src/grants/principal';
import { runGrantAction } from '../src/grants/run-grant-action';

describe('grant actions', () => {
  it('offers the grantee accept, accept and activate, and reject of a grant pending acceptance; the grantor none', () => {
    expect(grantActions('PENDING_ACCEPT', 'grantee')).toEqual(['accept-and-activate', 'accept', 'reject']);
    expect(grantActions('PENDING_ACCEPT', 'grantor')).toEqual([]);
  });

  it('offers either side activate of a disabled grant and deactivate of an active one, and nothing else', () => {
    for (const side of ['grantee', 'grantor'] as const) {
      expect(grantActions('DISABLED', side)).toEqual(['activate']);
      expect(grantActions('ACTIVE', side)).toEqual(['deactivate']);
      const others = Object.keys(GRANT_STATUS_LABELS).filter(
        (status) => !['PENDING_ACCEPT', 'DISABLED', 'ACTIVE'].includes(status),
      ) as LicenseManager.GrantStatus[];
      for (const status of others) expect(grantActions(status, side), status).toEqual([]);
    }
  });

  /** The calls each action makes, as the API answers them (AcceptGrant gives the grant's new version). */
  const callsOf = async (action: Parameters<typeof runGrantAction>[2]) => {
    const calls: { operation: string; input: Record<string, unknown> }[] = [];
    const fetchFn: Fetch = async (_url, init) => {
      const operation = String((init.headers as Record<string, string>)['x-amz-target']).split('.')[1];
      calls.push({ operation, input: JSON.parse(String(init.body)) });
      return new Response(JSON.stringify({ GrantArn: 'arn:g', Version: '2' }), { status: 200 });
    };
    const client = new LicenseManagerClient(
      { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
      { origin: 'http://localhost:8080', region: 'us-east-1' },
      fetchFn,
    );
    await runGrantAction(client, { GrantArn: 'arn:g', Version: '1' }, action);
    return calls.map(({ operation, input }) => ({ operation, ...input, ClientToken: input.ClientToken && 'token' }));
  };

  it('accepts and activates with AcceptGrant, then CreateGrantVersion ACTIVE from the accepted version', async () => {
    expect(await callsOf('accept-and-activate')).toEqual([
      { operation: 'AcceptGrant', GrantArn: 'arn:g', ClientToken: undefined },
      {
        operation: 'CreateGrantVersion',
        GrantArn: 'arn:g',
        Status: 'ACTIVE',
        SourceVersion: '2',
        ClientToken: 'token',
      },
    ]);
  });

  it('activates and deactivates the version shown (a grant changed meanwhile is refused, not overwritten)', async () => {
    expect(await callsOf('deactivate')).toEqual([
      {
        operation: 'CreateGrantVersion',
        GrantArn: 'arn:g',
        Status: 'DISABLED',
        SourceVersion: '1',
        ClientToken: 'token',
      },
    ]);
    expect(await callsOf('activate')).toMatchObject([{ Status: 'ACTIVE', SourceVersion: '1' }]);
    expect(await callsOf('reject')).toMatchObject([{ operation: 'RejectGrant', GrantArn: 'arn:g' }]);
    expect(await callsOf('accept')).toMatchObject([{ operation: 'AcceptGrant', GrantArn: 'arn:g' }]);
  });
});

describe('grant recipients', () => {
  it('takes an account ID as the account root ARN, and an organization or OU ARN as typed', () => {
    expect(principalOf(' 222222222222 ')).toBe('arn:aws:iam::222222222222:root');
    const ou = 'arn:aws:organizations::111111111111:ou/o-lmdev00001/ou-lmdv-engineering';
    expect(principalOf(ou)).toBe(ou);
    // Not an account ID nor an ARN: the API says what is wrong with it.
    expect(principalOf('22222')).toBe('22222');
  });

  it('names a principal in words', () => {
    expect(describePrincipal('arn:aws:iam::222222222222:root')).toBe('Account 222222222222');
    expect(describePrincipal('arn:aws:organizations::111111111111:organization/o-lmdev00001')).toBe(
      'Organization o-lmdev00001',
    );
    expect(describePrincipal('arn:aws:organizations::111111111111:ou/o-lmdev00001/ou-lmdv-engineering')).toBe(
      'OU ou-lmdv-engineering',
    );
    expect(describePrincipal('something else')).toBe('something else');
  });
});

describe('client tokens', () => {
  it('are random version 4 UUIDs', () => {
    const tokens = new Set(Array.from({ length: 100 }, clientToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens)
      expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('the usage chart', () => {
  it('draws consumed over the maximum, capped and marked when over, and no bar without a maximum', () => {
    const bars = usageBars([
      { Name: 'Users', ConsumedValue: '3', MaxCount: '10', Unit: 'Count' },
      { Name: 'Storage', ConsumedValue: '12', MaxCount: '8', Unit: 'Gigabytes' },
      { Name: 'Tier', ConsumedValue: '1', Unit: 'None' },
    ]);
    expect(bars.map((bar) => [bar.fraction, bar.over, usageText(bar)])).toEqual([
      [0.3, false, '3 of 10 Count'],
      [1, true, '12 of 8 Gigabytes'],
      [undefined, false, '1 None'],
    ]);
  });
});

describe('the create license form', () => {
  const form: IssuedLicenseForm = {
    licenseName: ' Analytics Pro ',
    productName: 'Analytics',
    productSku: 'sku-1',
    beneficiary: 'customer@example.com',
    homeRegion: 'us-east-1',
    startDate: '2026-01-01',
    endDate: '',
    renewType: 'Monthly',
    consumption: 'provisional',
    maxTimeToLiveMinutes: '60',
    issuerName: 'Example ISV',
    signKey: '',
    entitlements: [
      { ...emptyEntitlement(), name: 'Users', amount: '10', allowCheckIn: true },
      { ...emptyEntitlement(), name: 'Tier', unit: 'None', amount: 'Platinum' },
      { ...emptyEntitlement(), name: 'Calls', unit: 'Count/Second' },
    ],
  };

  it('is the CreateLicense request the guide describes', () => {
    expect(createLicenseRequest(form, 'token')).toEqual({
      LicenseName: 'Analytics Pro',
      ProductName: 'Analytics',
      ProductSKU: 'sku-1',
      Beneficiary: 'customer@example.com',
      HomeRegion: 'us-east-1',
      Validity: { Begin: '2026-01-01T00:00:00Z', End: undefined },
      ConsumptionConfiguration: { RenewType: 'Monthly', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
      Issuer: { Name: 'Example ISV', SignKey: undefined },
      Entitlements: [
        { Name: 'Users', Unit: 'Count', MaxCount: 10, AllowCheckIn: true, Overage: false },
        { Name: 'Tier', Unit: 'None', Value: 'Platinum', AllowCheckIn: false, Overage: false },
        { Name: 'Calls', Unit: 'Count/Second', AllowCheckIn: false, Overage: false },
      ],
      ClientToken: 'token',
    });
  });

  it('borrows offline, ends on the end date, and is signed by the KMS key given', () => {
    const request = createLicenseRequest(
      { ...form, consumption: 'borrow', endDate: '2027-01-01', signKey: 'arn:aws:kms:us-east-1:111111111111:key/k' },
      'token',
    );
    expect(request.ConsumptionConfiguration.BorrowConfiguration).toEqual({
      MaxTimeToLiveInMinutes: 60,
      AllowEarlyCheckIn: true,
    });
    expect(request.ConsumptionConfiguration.ProvisionalConfiguration).toBeUndefined();
    expect(request.Validity.End).toBe('2027-01-01T00:00:00Z');
    expect(request.Issuer.SignKey).toBe('arn:aws:kms:us-east-1:111111111111:key/k');
  });
});
