import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/api-error';
import { linuxSubscriptionsClient, userSubscriptionsClient } from '../src/api/rest-json-client';
import type { Fetch } from '../src/api/signed-post';

const CREDENTIALS = {
  accessKeyId: 'AKIACONSOLETEST00001',
  secretAccessKey: 'consoleTestSecretKey00000000000000000001',
};
const ENDPOINT = { origin: 'http://127.0.0.1:8080', region: 'us-east-1' };

/** A fetch this test answers, keeping what was sent. */
function answering(status: number, body: string, headers: Record<string, string> = {}) {
  const sent: { url: string; init: RequestInit }[] = [];
  const fetchFn: Fetch = async (url, init) => {
    sent.push({ url, init });
    return new Response(body, { status, headers });
  };
  return { fetchFn, sent };
}

describe('the console’s restJson clients', () => {
  it('call an operation as the SDKs do: POST to its path with the input as JSON, signed for the API’s own service', async () => {
    const { fetchFn, sent } = answering(200, '{"IdentityProviderSummaries":[],"NextToken":"t"}');
    const client = userSubscriptionsClient(CREDENTIALS, ENDPOINT, fetchFn);
    await expect(client.call('ListIdentityProviders', { MaxResults: 10 })).resolves.toEqual({
      IdentityProviderSummaries: [],
      NextToken: 't',
    });
    const [{ url, init }] = sent;
    expect(url).toBe('http://127.0.0.1:8080/identity-provider/ListIdentityProviders');
    expect(init).toMatchObject({ method: 'POST', credentials: 'omit', cache: 'no-store', body: '{"MaxResults":10}' });
    const headers = init.headers as Record<string, string>;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-amz-target']).toBeUndefined();
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIACONSOLETEST00001\/\d{8}\/us-east-1\/license-manager-user-subscriptions\//,
    );
  });

  it('read a 501 as a service not part of this deployment, and restJson’s error type header', async () => {
    const absent = answering(501, '{"message":"license-manager-linux-subscriptions is not part of this deployment."}', {
      'x-amzn-errortype': 'NotImplementedException',
    });
    const error = await linuxSubscriptionsClient(CREDENTIALS, ENDPOINT, absent.fetchFn)
      .call('ListLinuxSubscriptions', {})
      .catch((e: unknown) => e as ApiError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'NotImplementedException', notInDeployment: true });
    expect(absent.sent[0].url).toBe('http://127.0.0.1:8080/subscription/ListLinuxSubscriptions');
    expect((absent.sent[0].init.headers as Record<string, string>).authorization).toContain(
      '/license-manager-linux-subscriptions/aws4_request',
    );
  });
});
