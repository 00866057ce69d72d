import { describe, expect, it } from 'vitest';
import { ApiError, describeError } from '../src/api/api-error';
import { LicenseManagerClient, type Fetch } from '../src/api/license-manager-client';

const CREDENTIALS = {
  accessKeyId: 'AKIACONSOLETEST00001',
  secretAccessKey: 'consoleTestSecretKey00000000000000000001',
};
const ENDPOINT = { origin: 'http://127.0.0.1:8080', region: 'us-east-1' };

/** A client whose requests this test answers, keeping what was sent. */
function clientAnswering(status: number, body: string, headers: Record<string, string> = {}) {
  const sent: { url: string; init: RequestInit }[] = [];
  const fetchFn: Fetch = async (url, init) => {
    sent.push({ url, init });
    return new Response(body, { status, headers });
  };
  return { client: new LicenseManagerClient(CREDENTIALS, ENDPOINT, fetchFn), sent };
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: unknown) => error as ApiError,
  );

describe('the console’s license-manager client', () => {
  it('calls an operation as the SDKs do: awsJson1_1 POST / with X-Amz-Target, signed, no cookies, nothing cached', async () => {
    const { client, sent } = clientAnswering(200, '{"LicenseConfigurations":[],"NextToken":"t"}');
    await expect(client.call('ListLicenseConfigurations', { MaxResults: 5 })).resolves.toEqual({
      LicenseConfigurations: [],
      NextToken: 't',
    });
    const [{ url, init }] = sent;
    expect(url).toBe('http://127.0.0.1:8080/');
    expect(init).toMatchObject({ method: 'POST', credentials: 'omit', cache: 'no-store', body: '{"MaxResults":5}' });
    const headers = init.headers as Record<string, string>;
    expect(headers['x-amz-target']).toBe('AWSLicenseManager.ListLicenseConfigurations');
    expect(headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIACONSOLETEST00001\/\d{8}\/us-east-1\/license-manager\//,
    );
  });

  it('turns an AWS JSON error into its code and message', async () => {
    const { client } = clientAnswering(
      400,
      '{"__type":"com.amazonaws.licensemanager#InvalidParameterValueException","Message":"Rule minimumCores (16) is greater than maximumCores (8)."}',
    );
    const error = await failureOf(
      client.call('CreateLicenseConfiguration', { Name: 'x', LicenseCountingType: 'Core' }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'InvalidParameterValueException', status: 400, notInDeployment: false });
    expect(describeError(error)).toBe(
      'Rule minimumCores (16) is greater than maximumCores (8). (InvalidParameterValueException)',
    );
  });

  it('reads a restJson error from X-Amzn-ErrorType and a lower-case message', async () => {
    const { client } = clientAnswering(403, '{"message":"Denied."}', {
      'x-amzn-errortype': 'AccessDeniedException:http://x',
    });
    expect(await failureOf(client.call('GetServiceSettings', {}))).toMatchObject({
      code: 'AccessDeniedException',
      message: 'Denied.',
    });
  });

  it('tells a service that is not part of the deployment (501) from an error', async () => {
    const { client } = clientAnswering(
      501,
      '{"__type":"NotImplementedException","Message":"ListLicenseConversionTasks is not implemented by this deployment."}',
    );
    expect((await failureOf(client.call('ListLicenseConversionTasks', {}))).notInDeployment).toBe(true);
  });

  it('says what happened when the answer is not JSON, or the gateway cannot be reached', async () => {
    const { client } = clientAnswering(502, '');
    expect(describeError(await failureOf(client.call('ListLicenseConfigurations', {})))).toBe(
      'The server answered HTTP 502.',
    );
    expect(describeError(new TypeError('Failed to fetch'))).toBe('The gateway could not be reached: Failed to fetch');
  });
});
