import { apiModels } from '@lm/api-model';
import { describe, expect, it } from 'vitest';
import {
  decodeCbor,
  encodeCbor,
  errorResponse,
  GatewayError,
  guessApi,
  resolveOperation,
  successResponse,
  wireProtocolOf,
  type HttpRequest,
} from '../../src/protocol';

const monitoring = apiModels.monitoring;
const SERVICE = 'GraniteServiceVersion20100801';

const cbor = (operation: string, body: Uint8Array, headers: Record<string, string> = {}): HttpRequest => ({
  method: 'POST',
  url: `/service/${SERVICE}/operation/${operation}`,
  headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', ...headers },
  body: Buffer.from(body),
});

const json10 = (operation: string, body: unknown): HttpRequest => ({
  method: 'POST',
  url: '/',
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${SERVICE}.${operation}` },
  body: Buffer.from(JSON.stringify(body)),
});

const form = (body: string): HttpRequest => ({
  method: 'POST',
  url: '/',
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: Buffer.from(body),
});

const STATISTICS_INPUT = {
  Namespace: 'AWSLicenseManager/licenseUsage',
  MetricName: 'LicenseConfigurationUsageCount',
  Dimensions: [{ Name: 'LicenseConfigurationType', Value: 'Core' }],
  Period: 3600,
  Statistics: ['Maximum'],
};

function thrown(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('CloudWatch in RPC v2 CBOR', () => {
  it('finds the operation from the path and reads tag 1 timestamps as epoch seconds', () => {
    const body = encodeCbor({
      ...STATISTICS_INPUT,
      StartTime: new Date('2026-01-01T00:00:00Z'),
      EndTime: new Date('2026-01-01T06:00:00Z'),
    });
    const resolved = resolveOperation([monitoring], cbor('GetMetricStatistics', body));
    expect(resolved.operation).toBe('GetMetricStatistics');
    expect(resolved.protocol).toBe('smithy-rpc-v2-cbor');
    expect(resolved.readInput()).toEqual({ ...STATISTICS_INPUT, StartTime: 1767225600, EndTime: 1767247200 });
  });

  it('takes an empty body as an empty input', () => {
    expect(resolveOperation([monitoring], cbor('ListMetrics', new Uint8Array())).readInput()).toEqual({});
  });

  it.each([
    ['truncated CBOR', Buffer.from('a26161', 'hex')],
    ['not CBOR at all', Buffer.from('{"Namespace":"x"}')],
    ['a CBOR array instead of a map', Buffer.from('83010203', 'hex')],
  ])('answers %s with a 400 SerializationException', (_what, body) => {
    const resolved = resolveOperation([monitoring], cbor('ListMetrics', body));
    const error = thrown(() => resolved.readInput());
    expect([error.code, error.status]).toEqual(['SerializationException', 400]);
  });

  it('refuses an operation outside the model, or another service shape, as an unknown operation', () => {
    expect(thrown(() => resolveOperation([monitoring], cbor('PutMetricData', new Uint8Array()))).code).toBe(
      'UnknownOperationException',
    );
    const other = { ...cbor('ListMetrics', new Uint8Array()), url: '/service/Other/operation/ListMetrics' };
    expect(thrown(() => resolveOperation([monitoring], other)).code).toBe('UnknownOperationException');
  });

  it('answers a CBOR map with the smithy-protocol header, timestamps as tag 1', () => {
    const response = successResponse(
      monitoring,
      'GetMetricStatistics',
      { Label: 'L', Datapoints: [{ Timestamp: 1767225600, Maximum: 96, Unit: 'Count', Internal: 'x' }] },
      'req-1',
      'smithy-rpc-v2-cbor',
    );
    expect(response.headers).toMatchObject({ 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' });
    expect(decodeCbor(response.body as Buffer)).toEqual({
      Label: 'L',
      Datapoints: [{ Timestamp: new Date('2026-01-01T00:00:00Z'), Maximum: 96, Unit: 'Count' }],
    });
  });

  it('answers errors as a CBOR map with __type and the query code in x-amzn-query-error', () => {
    const request = cbor('GetMetricStatistics', new Uint8Array());
    const response = errorResponse(
      monitoring,
      new GatewayError('InvalidParameterValueException', 400, 'bad period'),
      'req-2',
      wireProtocolOf(monitoring, request),
    );
    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
    expect(decodeCbor(response.body as Buffer)).toEqual({
      __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException',
      message: 'bad period',
    });
  });

  it('answers errors of a request not yet authenticated in CBOR too', () => {
    expect(guessApi(cbor('ListMetrics', new Uint8Array()))?.id).toBe('monitoring');
  });
});

describe('CloudWatch in awsJson1_0', () => {
  it('finds the operation from the target and answers application/x-amz-json-1.0', () => {
    const request = json10('ListMetrics', { Namespace: 'AWSLicenseManager/licenseUsage' });
    const resolved = resolveOperation([monitoring], request);
    expect([resolved.operation, resolved.protocol]).toEqual(['ListMetrics', 'json']);
    expect(resolved.readInput()).toEqual({ Namespace: 'AWSLicenseManager/licenseUsage' });
    const response = successResponse(monitoring, 'ListMetrics', { Metrics: [] }, 'r', resolved.protocol);
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(response.body as string)).toEqual({ Metrics: [] });
    const error = errorResponse(monitoring, new GatewayError('InvalidNextToken', 400, 'x'), 'r', 'json');
    expect(JSON.parse(error.body as string).__type).toBe('com.amazonaws.cloudwatch#InvalidNextToken');
    expect(error.headers['x-amzn-query-error']).toBe('InvalidNextToken;Sender');
  });
});

describe('CloudWatch in the query protocol', () => {
  it('decodes Action, Version and the members, and answers XML in the CloudWatch namespace', () => {
    const request = form(
      'Action=GetMetricStatistics&Version=2010-08-01&Namespace=AWSLicenseManager%2FlicenseUsage' +
        '&MetricName=LicenseConfigurationUsageCount&Dimensions.member.1.Name=LicenseConfigurationType' +
        '&Dimensions.member.1.Value=Core&Period=3600&Statistics.member.1=Maximum' +
        '&StartTime=2026-01-01T00%3A00%3A00Z&EndTime=2026-01-01T06%3A00%3A00Z',
    );
    expect(guessApi(request)?.id).toBe('monitoring');
    const resolved = resolveOperation([monitoring], request);
    expect([resolved.operation, resolved.protocol]).toEqual(['GetMetricStatistics', 'query']);
    expect(resolved.readInput()).toEqual({ ...STATISTICS_INPUT, StartTime: 1767225600, EndTime: 1767247200 });
    const response = successResponse(
      monitoring,
      'GetMetricStatistics',
      { Label: 'L', Datapoints: [{ Timestamp: 1767225600, Maximum: 96 }] },
      'r',
      'query',
    );
    expect(response.body).toBe(
      '<GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricStatisticsResult>' +
        '<Label>L</Label><Datapoints><member><Timestamp>2026-01-01T00:00:00Z</Timestamp><Maximum>96</Maximum></member>' +
        '</Datapoints></GetMetricStatisticsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>' +
        '</GetMetricStatisticsResponse>',
    );
  });

  it('answers errors under their query codes', () => {
    const missing = errorResponse(
      monitoring,
      new GatewayError('MissingRequiredParameterException', 400, 'x'),
      'r',
      'query',
    );
    expect(missing.body).toContain('<Code>MissingParameter</Code>');
    const invalid = errorResponse(monitoring, new GatewayError('ValidationException', 400, 'x'), 'r', 'query');
    expect(invalid.body).toContain('<Code>ValidationError</Code>');
  });
});
