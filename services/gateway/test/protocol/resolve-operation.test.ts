import { apiModels, apisBySigningName } from '@lm/api-model';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/protocol/aws-error-response';
import { encodeCbor } from '../../src/protocol/rpc-v2-cbor';
import {
  guessApi,
  resolveAnonymousOperation,
  resolveOperation,
  type HttpRequest,
} from '../../src/protocol/resolve-operation';

const json = (target: string, body = '{}'): HttpRequest => ({
  method: 'POST',
  url: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
  body: Buffer.from(body),
});

const form = (body: string, headers: Record<string, string> = {}, url = '/'): HttpRequest => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
  body: Buffer.from(body),
});

const ASSUME = 'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=r&RoleSessionName=s&WebIdentityToken=t';

describe('resolveOperation', () => {
  it('finds a KMS operation from its TrentService target', () => {
    const resolved = resolveOperation([apiModels.kms], json('TrentService.GetPublicKey', '{"KeyId":"k"}'));
    expect(resolved.api.id).toBe('kms');
    expect(resolved.operation).toBe('GetPublicKey');
    expect(resolved.readInput()).toEqual({ KeyId: 'k' });
  });

  it.each(['TrentService.Encrypt', 'AWSLicenseManager.GetLicense', 'TrentService', ''])(
    'refuses the target %j for KMS',
    (target) => {
      expect(() => resolveOperation([apiModels.kms], json(target))).toThrow(GatewayError);
    },
  );

  it('finds an STS operation from Action and Version', () => {
    const resolved = resolveOperation([apiModels.sts], form(ASSUME));
    expect(resolved.operation).toBe('AssumeRoleWithWebIdentity');
    expect(resolved.readInput()).toEqual({ RoleArn: 'r', RoleSessionName: 's', WebIdentityToken: 't' });
    expect(() => resolveOperation([apiModels.sts], form(ASSUME.replace('2011-06-15', '2011-06-16')))).toThrow(
      /Could not find operation/,
    );
  });
});

describe('inputs as their model reads them', () => {
  // Found by test/chaos/model-fuzzer.test.ts: GetMetricStatistics with "Statistics": null answered 500.
  const statistics = { Namespace: 'n', MetricName: 'm', Statistics: null, Dimensions: [{ Name: 'd', Value: null }] };
  const expected = { Namespace: 'n', MetricName: 'm', Dimensions: [{ Name: 'd' }] };

  it('take a member set to null as not set, at any depth, in awsJson, RPC v2 CBOR and restJson1', () => {
    const awsJson = resolveOperation(
      [apiModels.monitoring],
      json('GraniteServiceVersion20100801.GetMetricStatistics', JSON.stringify(statistics)),
    );
    expect(awsJson.readInput()).toEqual(expected);
    const cbor = resolveOperation([apiModels.monitoring], {
      method: 'POST',
      url: '/service/GraniteServiceVersion20100801/operation/GetMetricStatistics',
      headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
      body: Buffer.from(encodeCbor(statistics)),
    });
    expect(cbor.readInput()).toEqual(expected);
    const restJson = resolveOperation([apiModels['license-manager-linux-subscriptions']], {
      method: 'POST',
      url: '/subscription/ListLinuxSubscriptions',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"NextToken": null, "Filters": [{"Name": "a", "Values": null}]}'),
    });
    expect(restJson.readInput()).toEqual({ Filters: [{ Name: 'a' }] });
  });

  it('read timestamps given as ISO-8601 date-times as epoch seconds, as the services compute with them', () => {
    // Found by the fuzzer too: DescribeAlarmHistory with an ISO EndDate answered 500.
    const resolved = resolveOperation(
      [apiModels.monitoring],
      json(
        'GraniteServiceVersion20100801.DescribeAlarmHistory',
        '{"StartDate": "2024-02-29T00:00:00Z", "EndDate": 1709251200, "AlarmName": "2024-02-29T00:00:00Z"}',
      ),
    );
    expect(resolved.readInput()).toEqual({
      StartDate: 1709164800,
      EndDate: 1709251200,
      AlarmName: '2024-02-29T00:00:00Z',
    });
    const notADate = resolveOperation(
      [apiModels.monitoring],
      json('GraniteServiceVersion20100801.DescribeAlarmHistory', '{"EndDate": "yesterday"}'),
    );
    expect(notADate.readInput()).toEqual({ EndDate: 'yesterday' });
  });

  it('read a lone surrogate, which only a JSON escape can write, as U+FFFD, in values and keys at any depth', () => {
    // Found by the fuzzer: CreateToken with "\udfff\ud800" in TokenProperties answered 500 (PostgreSQL's jsonb refuses it).
    const resolved = resolveOperation(
      [apiModels['license-manager']],
      json(
        'AWSLicenseManager.CreateToken',
        '{"LicenseArn": "a", "TokenProperties": ["\\udfff\\ud800", "\\ud83d\\ude42"], "Unknown": {"\\ud800": "x"}}',
      ),
    );
    expect(resolved.readInput()).toEqual({
      LicenseArn: 'a',
      TokenProperties: ['\ufffd\ufffd', '\u{1f642}'],
      Unknown: { '\ufffd': 'x' },
    });
  });

  it('leave null items of lists and maps, and a member named __proto__, as they are, for validation to refuse', () => {
    const resolved = resolveOperation(
      [apiModels.monitoring],
      json('GraniteServiceVersion20100801.GetMetricStatistics', '{"Statistics": [null], "__proto__": {"a": null}}'),
    );
    const input = resolved.readInput();
    expect(input.Statistics).toEqual([null]);
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    expect(Object.hasOwn(input, '__proto__')).toBe(true);
  });
});

describe('the extensions operation signed for license-manager-user-subscriptions', () => {
  const rest = (method: string, url: string, body = '{}'): HttpRequest => ({
    method,
    url,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(body),
  });
  const report = rest('POST', '/license-server/ReportLicenseServers', '{"ProvisioningStatus":"DELETED"}');

  it('reaches ReportLicenseServers with that signature, beside the API of that name', () => {
    const apis = apisBySigningName('license-manager-user-subscriptions');
    const resolved = resolveOperation(apis, report);
    expect([resolved.api.id, resolved.operation]).toEqual(['license-manager-extensions', 'ReportLicenseServers']);
    const list = resolveOperation(apis, rest('POST', '/license-server/ListLicenseServerEndpoints'));
    expect([list.api.id, list.operation]).toEqual(['license-manager-user-subscriptions', 'ListLicenseServerEndpoints']);
    const tags = resolveOperation(apis, rest('GET', '/tags/arn%3Aaws%3Alicense-manager-user-subscriptions%3Ax'));
    expect([tags.api.id, tags.operation]).toEqual(['license-manager-user-subscriptions', 'ListTagsForResource']);
    // The other extensions operations are not reached with this signature.
    expect(() => resolveOperation(apis, rest('POST', '/inventory/ReportResources'))).toThrow(GatewayError);
  });

  it('is not reached with the signature of license-manager, which still reaches the other extensions', () => {
    const apis = apisBySigningName('license-manager');
    expect(() => resolveOperation(apis, report)).toThrow(GatewayError);
    expect(resolveOperation(apis, rest('POST', '/inventory/ReportResources')).operation).toBe('ReportResources');
  });
});

describe('resolveAnonymousOperation', () => {
  it('accepts exactly an unsigned AssumeRoleWithWebIdentity', () => {
    expect(resolveAnonymousOperation(form(ASSUME))?.operation).toBe('AssumeRoleWithWebIdentity');
    expect(
      resolveAnonymousOperation(form(ASSUME, { authorization: 'AWS4-HMAC-SHA256 Credential=...' })),
    ).toBeUndefined();
    expect(resolveAnonymousOperation(form(ASSUME, {}, '/?X-Amz-Signature=abc'))).toBeUndefined();
    expect(resolveAnonymousOperation(form(ASSUME.replace('AssumeRoleWithWebIdentity', 'AssumeRole')))).toBeUndefined();
    expect(resolveAnonymousOperation(json('TrentService.CreateKey'))).toBeUndefined();
  });
});

describe('guessApi', () => {
  it('answers errors before authentication in the protocol the request speaks', () => {
    expect(guessApi(json('TrentService.CreateKey'))?.id).toBe('kms');
    expect(guessApi(json('AWSLicenseManager.GetLicense'))?.id).toBe('license-manager');
    expect(guessApi(form(ASSUME))?.id).toBe('sts');
    const rest = (method: string, url: string) => ({ method, url, headers: {}, body: Buffer.alloc(0) });
    expect(guessApi(rest('GET', '/tags/x'))?.metadata.protocol).toBe('rest-json');
    expect(guessApi(rest('POST', '/inventory/ReportResources'))?.id).toBe('license-manager-extensions');
    expect(guessApi(rest('GET', '/nothing/here'))).toBeUndefined();
  });
});
