import { describe, expect, it } from 'vitest';
import { AuthenticationError, verifySigV4 } from '../../../services/gateway/src/protocol';
import { signRequest, type SignedRequest } from '../src/api/sign-request';

const ENDPOINT = { origin: 'http://127.0.0.1:8080', region: 'us-east-1' };
const LONG_TERM = { accessKeyId: 'AKIACONSOLETEST00001', secretAccessKey: 'consoleTestSecretKey00000000000000000001' };
const TEMPORARY = {
  accessKeyId: 'ASIACONSOLETEST00002',
  secretAccessKey: 'consoleTemporarySecret000000000000000002',
  sessionToken: 'console-session-token',
};
const NOW = new Date('2026-06-01T12:00:00Z');

const listConfigurations = {
  service: 'license-manager',
  method: 'POST' as const,
  path: '/',
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'AWSLicenseManager.ListLicenseConfigurations',
  },
  body: JSON.stringify({ MaxResults: 1 }),
};

/** The request as the gateway receives it from the browser, which adds the Host header itself. */
function received(signed: SignedRequest) {
  const url = new URL(signed.url);
  return {
    method: signed.method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ''),
    headers: { ...lowerCased(signed.headers), host: url.host },
    body: Buffer.from(signed.body ?? ''),
  };
}
const lowerCased = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** The gateway's own verifier, with the secrets it would know. */
const verify = (signed: SignedRequest, secrets: Record<string, { secretAccessKey: string; sessionToken?: string }>) =>
  verifySigV4(received(signed), { findSecret: (id) => secrets[id], now: NOW, region: ENDPOINT.region });

describe('the console’s SigV4 signer', () => {
  it('signs as the gateway verifies: an access key pair', async () => {
    const signed = await signRequest(listConfigurations, LONG_TERM, ENDPOINT, NOW);
    expect(signed.url).toBe('http://127.0.0.1:8080/');
    expect(verify(signed, { [LONG_TERM.accessKeyId]: LONG_TERM })).toMatchObject({
      accessKeyId: LONG_TERM.accessKeyId,
      region: 'us-east-1',
      service: 'license-manager',
    });
  });

  it('signs temporary credentials with their session token', async () => {
    const signed = await signRequest(listConfigurations, TEMPORARY, ENDPOINT, NOW);
    expect(lowerCased(signed.headers)['x-amz-security-token']).toBe(TEMPORARY.sessionToken);
    expect(verify(signed, { [TEMPORARY.accessKeyId]: TEMPORARY }).accessKeyId).toBe(TEMPORARY.accessKeyId);
  });

  it('leaves the Host header to the browser, which may not set it, though the signature covers it', async () => {
    const signed = await signRequest(listConfigurations, LONG_TERM, ENDPOINT, NOW);
    expect(Object.keys(lowerCased(signed.headers))).not.toContain('host');
    expect(lowerCased(signed.headers).authorization).toMatch(/SignedHeaders=[^,]*\bhost\b/);
    const elsewhere = { ...received(signed), headers: { ...received(signed).headers, host: 'other.example:8080' } };
    expect(() => verifySigV4(elsewhere, { findSecret: () => LONG_TERM, now: NOW, region: ENDPOINT.region })).toThrow(
      AuthenticationError,
    );
  });

  it('makes a signature that another secret, or a changed body, does not verify', async () => {
    const signed = await signRequest(listConfigurations, LONG_TERM, ENDPOINT, NOW);
    expect(() => verify(signed, { [LONG_TERM.accessKeyId]: { secretAccessKey: 'another-secret' } })).toThrow(
      AuthenticationError,
    );
    expect(() => verify({ ...signed, body: '{"MaxResults":2}' }, { [LONG_TERM.accessKeyId]: LONG_TERM })).toThrow(
      AuthenticationError,
    );
  });

  it('never puts the secret in what it sends', async () => {
    const signed = await signRequest(listConfigurations, TEMPORARY, ENDPOINT, NOW);
    expect(JSON.stringify(signed)).not.toContain(TEMPORARY.secretAccessKey);
  });
});
