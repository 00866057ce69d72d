import { describe, expect, it } from 'vitest';
import { attemptedOperation } from '../../src/observability/attempted-operation';
import type { HttpRequest } from '../../src/protocol';

const scope = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261202/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

const request = (overrides: Partial<HttpRequest>): HttpRequest => ({
  method: 'POST',
  url: '/',
  headers: {},
  body: Buffer.alloc(0),
  ...overrides,
});

const attempted = (overrides: Partial<HttpRequest>) => {
  const { api, operation } = attemptedOperation(request(overrides));
  return { api: api?.id, operation };
};

describe('attemptedOperation', () => {
  it('names the awsJson operation of the target, signed or not', () => {
    const headers = { 'x-amz-target': 'AWSLicenseManager.CreateLicenseConfiguration' };
    expect(attempted({ headers: { ...headers, authorization: scope('license-manager') } })).toEqual({
      api: 'license-manager',
      operation: 'CreateLicenseConfiguration',
    });
    expect(attempted({ headers })).toEqual({ api: 'license-manager', operation: 'CreateLicenseConfiguration' });
  });

  it('names the restJson operation of the path, in the API of the credential scope', () => {
    expect(
      attempted({
        url: '/user/ListUserAssociations',
        headers: { authorization: scope('license-manager-user-subscriptions') },
      }),
    ).toEqual({ api: 'license-manager-user-subscriptions', operation: 'ListUserAssociations' });
  });

  it('names the operation of the target when the scope names a service not served here', () => {
    expect(
      attempted({ headers: { 'x-amz-target': 'AWSLicenseManager.GetLicense', authorization: scope('s3') } }),
    ).toEqual({ api: 'license-manager', operation: 'GetLicense' });
  });

  it('names the query operation of a presigned URL', () => {
    const url =
      '/?Action=AssumeRoleWithWebIdentity&Version=2011-06-15&X-Amz-Credential=AKIAEXAMPLE%2F20261202%2Fus-east-1%2Fsts%2Faws4_request';
    expect(attempted({ method: 'GET', url })).toEqual({ api: 'sts', operation: 'AssumeRoleWithWebIdentity' });
  });

  it('is unknown when nothing in the request names an operation', () => {
    expect(attempted({ url: '/nowhere' })).toEqual({ api: undefined, operation: 'unknown' });
    expect(attempted({ headers: { 'x-amz-target': 'AWSLicenseManager.NoSuchThing' } })).toEqual({
      api: 'license-manager',
      operation: 'unknown',
    });
  });
});
