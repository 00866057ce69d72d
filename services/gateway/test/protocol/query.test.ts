import { execFileSync } from 'node:child_process';
import { apiModels, type ApiModel } from '@lm/api-model';
import { describe, expect, it } from 'vitest';
import { decodeQueryInput, encodeQueryError, encodeQueryResponse } from '../../src/protocol';

const sts = apiModels.sts;

/** What botocore's query serializer sends for AssumeRoleWithWebIdentity (urlencoded by hand here). */
const BOTOCORE_FORM =
  'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fconsumer' +
  '&RoleSessionName=app-1&WebIdentityToken=tok%26en%3D1&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Fa' +
  '&PolicyArns.member.2.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Fb&DurationSeconds=900';

/** A model with the shapes STS does not use: maps, flattened lists, nested structures, timestamps. */
const synthetic: ApiModel = {
  id: 'sts',
  namespace: 'test',
  metadata: {
    protocol: 'query',
    apiVersion: '2020-01-01',
    endpointPrefix: 'test',
    xmlNamespace: 'https://example.com/doc/',
  },
  operations: {
    Op: {
      http: { method: 'POST', requestUri: '/' },
      input: 'Input',
      output: 'Output',
      resultWrapper: 'OpResult',
      errors: [],
    },
  },
  shapes: {
    Input: {
      type: 'structure',
      members: {
        Count: { shape: 'Int' },
        Enabled: { shape: 'Bool' },
        At: { shape: 'Time' },
        Names: { shape: 'Names' },
        Flat: { shape: 'FlatNames' },
        Labels: { shape: 'Labels' },
        Inner: { shape: 'Inner' },
        Renamed: { shape: 'Str', locationName: 'WireName' },
      },
    },
    Output: {
      type: 'structure',
      members: {
        Inner: { shape: 'Inner' },
        Names: { shape: 'Names' },
        At: { shape: 'Time' },
        Labels: { shape: 'Labels' },
        Count: { shape: 'Int' },
      },
    },
    Inner: { type: 'structure', members: { Value: { shape: 'Str' }, Enabled: { shape: 'Bool' } } },
    Names: { type: 'list', member: { shape: 'Str' } },
    FlatNames: { type: 'list', member: { shape: 'Str' }, flattened: true },
    Labels: { type: 'map', key: { shape: 'Str' }, value: { shape: 'Str' } },
    Str: { type: 'string' },
    Int: { type: 'integer' },
    Bool: { type: 'boolean' },
    Time: { type: 'timestamp' },
  },
  errors: {},
};

const form = (text: string) => new URLSearchParams(text);

describe('decodeQueryInput', () => {
  it('decodes what botocore sends for AssumeRoleWithWebIdentity, members by the model', () => {
    expect(decodeQueryInput(sts, 'AssumeRoleWithWebIdentityRequest', form(BOTOCORE_FORM))).toEqual({
      RoleArn: 'arn:aws:iam::111111111111:role/consumer',
      RoleSessionName: 'app-1',
      WebIdentityToken: 'tok&en=1',
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/a' }, { arn: 'arn:aws:iam::aws:policy/b' }],
      DurationSeconds: 900,
    });
  });

  it('decodes scalars, lists, flattened lists, maps, nested structures and wire names', () => {
    const input = decodeQueryInput(
      synthetic,
      'Input',
      form(
        'Count=-3&Enabled=false&At=2026-01-02T03:04:05Z&Names.member.1=a&Names.member.2=b&Flat.1=x&Flat.2=y' +
          '&Labels.entry.1.key=k1&Labels.entry.1.value=v1&Labels.entry.2.key=__proto__&Labels.entry.2.value=v2' +
          '&Inner.Value=deep&Inner.Enabled=true&WireName=r&Unknown=ignored',
      ),
    );
    expect(input).toEqual({
      Count: -3,
      Enabled: false,
      At: Date.parse('2026-01-02T03:04:05Z') / 1000,
      Names: ['a', 'b'],
      Flat: ['x', 'y'],
      Labels: Object.fromEntries([
        ['k1', 'v1'],
        ['__proto__', 'v2'],
      ]),
      Inner: { Value: 'deep', Enabled: true },
      Renamed: 'r',
    });
    expect(Object.getPrototypeOf(input.Labels)).toBe(Object.prototype);
  });

  it('keeps text that does not fit the shape, for validation to report, and reads an empty list', () => {
    expect(decodeQueryInput(synthetic, 'Input', form('Count=12abc&Enabled=yes&At=someday&Names='))).toEqual({
      Count: '12abc',
      Enabled: 'yes',
      At: 'someday',
      Names: [],
    });
  });

  it('stops a list at its first missing index', () => {
    expect(decodeQueryInput(synthetic, 'Input', form('Names.member.1=a&Names.member.3=c'))).toEqual({ Names: ['a'] });
  });
});

describe('encodeQueryResponse and encodeQueryError', () => {
  const output = {
    Credentials: {
      Expiration: 1_800_000_000,
      SessionToken: 'tok<&>',
      AccessKeyId: 'ASIAEXAMPLE0000000001',
      SecretAccessKey: 's"e\'cret',
    },
    AssumedRoleUser: { AssumedRoleId: 'AROA:app-1', Arn: 'arn:aws:sts::111111111111:assumed-role/consumer/app-1' },
    Provider: 'license-manager',
    Internal: 'never on the wire',
  };

  it('writes the result members in model order, escaped, with ISO 8601 timestamps and the request id', () => {
    expect(encodeQueryResponse(sts, 'AssumeRoleWithWebIdentity', output, 'req-1')).toBe(
      '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
        '<AssumeRoleWithWebIdentityResult>' +
        "<Credentials><AccessKeyId>ASIAEXAMPLE0000000001</AccessKeyId><SecretAccessKey>s&quot;e'cret</SecretAccessKey>" +
        '<SessionToken>tok&lt;&amp;&gt;</SessionToken><Expiration>2027-01-15T08:00:00Z</Expiration></Credentials>' +
        '<AssumedRoleUser><AssumedRoleId>AROA:app-1</AssumedRoleId><Arn>arn:aws:sts::111111111111:assumed-role/consumer/app-1</Arn></AssumedRoleUser>' +
        '<Provider>license-manager</Provider>' +
        '</AssumeRoleWithWebIdentityResult>' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>',
    );
  });

  it('writes lists as member elements and maps as entries', () => {
    const xml = encodeQueryResponse(
      synthetic,
      'Op',
      { Names: ['a', 'b'], Labels: { k: 'v' }, Inner: { Enabled: false }, Count: 0 },
      'r',
    );
    expect(xml).toContain(
      '<OpResult><Inner><Enabled>false</Enabled></Inner><Names><member>a</member><member>b</member></Names>',
    );
    expect(xml).toContain('<Labels><entry><key>k</key><value>v</value></entry></Labels><Count>0</Count></OpResult>');
  });

  it('writes errors as STS does: Sender for client faults, Receiver for server faults', () => {
    expect(encodeQueryError(sts, { code: 'InvalidIdentityToken', message: 'bad <token>', status: 400 }, 'req-2')).toBe(
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>' +
        '<Message>bad &lt;token&gt;</Message></Error><RequestId>req-2</RequestId></ErrorResponse>',
    );
    expect(encodeQueryError(sts, { code: 'InternalFailure', message: 'x', status: 500 }, 'r')).toContain(
      '<Type>Receiver</Type>',
    );
  });

  it('is read by botocore as STS answers are', () => {
    const parse = (status: number, xml: string) =>
      JSON.parse(
        execFileSync('python3', ['-c', BOTOCORE_PARSE, String(status)], { input: xml, encoding: 'utf8' }),
      ) as Record<string, any>;
    const parsed = parse(200, encodeQueryResponse(sts, 'AssumeRoleWithWebIdentity', output, 'req-1'));
    expect(parsed).toMatchObject({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE0000000001',
        SecretAccessKey: 's"e\'cret',
        SessionToken: 'tok<&>',
        Expiration: '2027-01-15T08:00:00+00:00',
      },
      AssumedRoleUser: { Arn: 'arn:aws:sts::111111111111:assumed-role/consumer/app-1' },
      Provider: 'license-manager',
      ResponseMetadata: { RequestId: 'req-1' },
    });
    const error = parse(
      400,
      encodeQueryError(sts, { code: 'InvalidIdentityToken', message: 'bad', status: 400 }, 'req-2'),
    );
    expect(error.Error).toEqual({ Type: 'Sender', Code: 'InvalidIdentityToken', Message: 'bad' });
  });
});

/** Parses an STS AssumeRoleWithWebIdentity response body (stdin) with botocore's own query parser. */
const BOTOCORE_PARSE = `
import json, sys
import botocore.session
from botocore.parsers import create_parser
model = botocore.session.get_session().get_service_model('sts').operation_model('AssumeRoleWithWebIdentity')
body = sys.stdin.buffer.read()
parsed = create_parser('query').parse({'status_code': int(sys.argv[1]), 'headers': {}, 'body': body}, model.output_shape)
print(json.dumps(parsed, default=lambda value: value.isoformat()))
`;
