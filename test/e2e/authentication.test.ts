import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callLicenseManager, rawRequest } from '../support/clients';
import { scrapeMetrics, sumOf } from '../support/metrics';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const LIST = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'AWSLicenseManager.ListLicenseConfigurations',
};

describe('SigV4 authentication at the gateway', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('accepts a correctly signed request', async () => {
    const response = await callLicenseManager(system, accounts.management, 'ListLicenseConfigurations', {});
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ LicenseConfigurations: [] });
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an unsigned request with MissingAuthenticationTokenException', async () => {
    const response = await callLicenseManager(system, undefined, 'ListLicenseConfigurations', {});
    expect(response.status).toBe(403);
    expect(response.json.__type).toMatch(/MissingAuthenticationTokenException$/);
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const stranger = {
      accountId: '999999999999',
      accessKeys: [{ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) }],
    };
    const response = await rawRequest(system, { account: stranger, headers: LIST, body: '{}' });
    expect(response.status).toBe(403);
    expect(response.json.__type).toMatch(/UnrecognizedClientException$/);
  });

  it('refuses a wrong secret with InvalidSignatureException', async () => {
    const forger = {
      accountId: '111111111111',
      accessKeys: [{ accessKeyId: accounts.management.accessKeys[0].accessKeyId, secretAccessKey: 'wrong'.repeat(8) }],
    };
    const response = await rawRequest(system, { account: forger, headers: LIST, body: '{}' });
    expect(response.status).toBe(403);
    expect(response.json.__type).toMatch(/InvalidSignatureException$/);
    expect(response.text).not.toContain(accounts.management.accessKeys[0].secretAccessKey);
  });

  it('refuses a body changed after signing', async () => {
    const { account } = { account: accounts.management };
    const signed = await rawRequest(system, {
      account,
      headers: { ...LIST, 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      body: '{"MaxResults": 5}',
    });
    expect(signed.status).toBe(403);
    expect(signed.json.__type).toMatch(/InvalidSignatureException$/);
  });

  it('refuses a request signed more than 15 minutes ago or ahead', async () => {
    for (const offset of [-16 * 60_000, 16 * 60_000]) {
      const response = await rawRequest(system, {
        account: accounts.management,
        headers: LIST,
        body: '{}',
        signingDate: new Date(Date.now() + offset),
      });
      expect(response.status).toBe(403);
      expect(response.json.__type).toMatch(/InvalidSignatureException$/);
      expect(response.json.Message).toMatch(/Signature (expired|not yet current)/);
    }
    const withinSkew = await rawRequest(system, {
      account: accounts.management,
      headers: LIST,
      body: '{}',
      signingDate: new Date(Date.now() - 10 * 60_000),
    });
    expect(withinSkew.status).toBe(200);
  });

  it('refuses a request signed for another service name', async () => {
    const response = await rawRequest(system, {
      account: accounts.management,
      headers: LIST,
      body: '{}',
      service: 's3',
    });
    expect(response.status).toBe(403);
  });

  it('answers health and metrics without authentication', async () => {
    const health = await fetch(`${system.endpoint}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ healthy: true, nats: true, services: { licensing: true } });
    const metrics = await scrapeMetrics(system);
    const operation = 'ListLicenseConfigurations';
    expect(sumOf(metrics, 'lm_gateway_responses_total', { operation, status: '200', error_code: '' })).toBeGreaterThan(
      0,
    );
    // Every refusal above is counted under the operation it tried, with its error code.
    for (const code of [
      'MissingAuthenticationTokenException',
      'UnrecognizedClientException',
      'InvalidSignatureException',
    ])
      expect(
        sumOf(metrics, 'lm_gateway_responses_total', { operation, status: '403', error_code: code }),
      ).toBeGreaterThan(0);
    expect(sumOf(metrics, 'lm_gateway_responses_total', { operation: 'unknown' })).toBe(0);
    expect(sumOf(metrics, 'lm_gateway_request_duration_seconds_count', { operation })).toBe(
      sumOf(metrics, 'lm_gateway_responses_total', { operation }),
    );
  });

  it('never writes a secret to the logs', () => {
    for (const process of ['gateway', 'licensing'] as const) {
      for (const account of Object.values(accounts)) {
        expect(system.logs(process)).not.toContain(account.accessKeys[0].secretAccessKey);
      }
    }
  });
});
