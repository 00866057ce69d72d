import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callLicenseManager, rawRequest, type RawRequest } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const account = accounts.management;
const IPV = 'InvalidParameterValueException';
const VALIDATION = 'ValidationException';
const SERIALIZATION = 'SerializationException';
const UNKNOWN = 'UnknownOperationException';
const PLACEHOLDER =
  'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-ffffffffffffffffffffffffffffffff';

interface Case {
  name: string;
  operation?: string;
  body: unknown;
  /** Extra request options (a different target, method or raw body). */
  request?: Partial<RawRequest>;
  status?: number;
  error: string;
  /** Part of the message that names the member or the reason. */
  message?: RegExp;
}

describe('bad input gets an AWS error and changes nothing', () => {
  let system: RunningSystem;
  let arn: string;
  let snapshot: unknown[];

  const state = async () => [
    (await callLicenseManager(system, account, 'GetLicenseConfiguration', { LicenseConfigurationArn: arn })).json,
    (await callLicenseManager(system, account, 'ListLicenseConfigurations', {})).json,
    (await callLicenseManager(system, account, 'ListTagsForResource', { ResourceArn: arn })).json,
  ];

  beforeAll(async () => {
    system = await startSystem();
    const created = await callLicenseManager(system, account, 'CreateLicenseConfiguration', {
      Name: 'baseline',
      LicenseCountingType: 'Core',
      LicenseCount: 8,
      LicenseCountHardLimit: true,
      LicenseRules: ['#allowedTenancy=EC2-DedicatedHost'],
      Tags: [{ Key: 'keep', Value: 'me' }],
    });
    expect(created.status).toBe(200);
    arn = created.json.LicenseConfigurationArn;
    snapshot = await state();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const create = (members: Record<string, unknown>) => ({ Name: 'x', LicenseCountingType: 'vCPU', ...members });
  /** The cases, for the ARN of the baseline configuration (known only once it is created). */
  const cases = (arn: string): Case[] => [
    { name: 'malformed JSON', operation: 'CreateLicenseConfiguration', body: '{"Name": "x",', error: SERIALIZATION },
    { name: 'a JSON array as body', operation: 'CreateLicenseConfiguration', body: '[]', error: SERIALIZATION },
    { name: 'a JSON string as body', operation: 'CreateLicenseConfiguration', body: '"x"', error: SERIALIZATION },
    { name: 'unknown operation', operation: 'MakeLicensesFree', body: {}, error: UNKNOWN },
    {
      name: 'unknown target prefix',
      body: {},
      request: {
        headers: {
          'x-amz-target': 'AWSSomethingElse.CreateLicenseConfiguration',
          'content-type': 'application/x-amz-json-1.1',
        },
      },
      error: UNKNOWN,
    },
    {
      name: 'no target header',
      body: {},
      request: { headers: { 'content-type': 'application/x-amz-json-1.1' } },
      error: UNKNOWN,
    },
    {
      name: 'missing Name',
      operation: 'CreateLicenseConfiguration',
      body: { LicenseCountingType: 'vCPU' },
      error: IPV,
      message: /name/i,
    },
    {
      name: 'missing LicenseCountingType',
      operation: 'CreateLicenseConfiguration',
      body: { Name: 'x' },
      error: IPV,
      message: /licenseCountingType/,
    },
    {
      name: 'unknown counting type',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseCountingType: 'Cores' }),
      error: IPV,
      message: /enum/,
    },
    {
      name: 'Name of the wrong type',
      operation: 'CreateLicenseConfiguration',
      body: create({ Name: 42 }),
      error: IPV,
      message: /name/i,
    },
    {
      name: 'LicenseCount as a string',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseCount: 'ten' }),
      error: IPV,
      message: /licenseCount/,
    },
    {
      name: 'LicenseCount not an integer',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseCount: 1.5 }),
      error: IPV,
      message: /licenseCount/,
    },
    {
      name: 'negative LicenseCount',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseCount: -5 }),
      error: IPV,
      message: /LicenseCount/,
    },
    {
      name: 'LicenseCountHardLimit not a boolean',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseCountHardLimit: 'yes' }),
      error: IPV,
      message: /licenseCountHardLimit/,
    },
    {
      name: 'LicenseRules not a list',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseRules: '#minimumVcpus=2' }),
      error: IPV,
      message: /licenseRules/,
    },
    {
      name: 'LicenseRules with a number',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseRules: [42] }),
      error: IPV,
      message: /licenseRules/,
    },
    {
      name: 'Tags as a map',
      operation: 'CreateLicenseConfiguration',
      body: create({ Tags: { a: 'b' } }),
      error: IPV,
      message: /tags/,
    },
    {
      name: 'rule of another counting type',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseRules: ['#maximumSockets=2'] }),
      error: IPV,
      message: /maximumSockets/,
    },
    {
      name: 'affinity out of range',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseCountingType: 'Core', LicenseRules: ['#licenseAffinityToHost=181'] }),
      error: IPV,
      message: /1 to 180/,
    },
    {
      name: 'shared tenancy for cores',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseCountingType: 'Core', LicenseRules: ['#allowedTenancy=EC2-Default'] }),
      error: IPV,
      message: /DedicatedHost/,
    },
    {
      name: 'rule without # syntax',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseRules: ['minimumVcpus 2'] }),
      error: IPV,
      message: /#name=value/,
    },
    {
      name: 'hard limit without a count',
      operation: 'CreateLicenseConfiguration',
      body: create({ LicenseCountHardLimit: true }),
      error: IPV,
      message: /LicenseCount/,
    },
    {
      name: 'unknown product resource type',
      operation: 'CreateLicenseConfiguration',
      body: create({ ProductInformationList: [{ ResourceType: 'EC2', ProductInformationFilterList: [] }] }),
      error: IPV,
      message: /ResourceType/,
    },
    {
      name: 'empty Name',
      operation: 'CreateLicenseConfiguration',
      body: create({ Name: '' }),
      error: IPV,
      message: /Name/,
    },
    {
      name: 'update of a configuration that does not exist',
      operation: 'UpdateLicenseConfiguration',
      body: { LicenseConfigurationArn: arn.replace(/lic-[0-9a-f]+/, `lic-${'0'.repeat(32)}`), Name: 'x' },
      error: IPV,
      message: /does not exist/,
    },
    {
      name: 'update with a malformed ARN',
      operation: 'UpdateLicenseConfiguration',
      body: { LicenseConfigurationArn: 'not-an-arn', Name: 'x' },
      error: IPV,
    },
    {
      name: 'unknown status',
      operation: 'UpdateLicenseConfiguration',
      body: { LicenseConfigurationArn: arn, LicenseConfigurationStatus: 'ENABLED' },
      error: IPV,
      message: /licenseConfigurationStatus/,
    },
    {
      name: 'update without ARN',
      operation: 'UpdateLicenseConfiguration',
      body: { Name: 'x' },
      error: IPV,
      message: /licenseConfigurationArn/,
    },
    {
      name: 'update changing a rule other than affinity',
      operation: 'UpdateLicenseConfiguration',
      body: { LicenseConfigurationArn: arn, LicenseRules: [] },
      error: IPV,
      message: /licenseAffinityToHost/,
    },
    {
      name: 'update dropping the count of a hard limit',
      operation: 'UpdateLicenseConfiguration',
      body: { LicenseConfigurationArn: arn, LicenseCount: -1 },
      error: IPV,
    },
    {
      name: 'Get with a numeric ARN',
      operation: 'GetLicenseConfiguration',
      body: { LicenseConfigurationArn: 123 },
      error: IPV,
    },
    {
      name: 'MaxResults zero',
      operation: 'ListLicenseConfigurations',
      body: { MaxResults: 0 },
      error: IPV,
      message: /MaxResults/,
    },
    {
      name: 'MaxResults negative',
      operation: 'ListLicenseConfigurations',
      body: { MaxResults: -1 },
      error: IPV,
      message: /MaxResults/,
    },
    {
      name: 'MaxResults as a string',
      operation: 'ListLicenseConfigurations',
      body: { MaxResults: '5' },
      error: IPV,
      message: /maxResults/,
    },
    {
      name: 'unknown filter name',
      operation: 'ListLicenseConfigurations',
      body: { Filters: [{ Name: 'colour', Values: ['blue'] }] },
      error: IPV,
      message: /colour/,
    },
    {
      name: 'two values in a filter',
      operation: 'ListLicenseConfigurations',
      body: { Filters: [{ Name: 'licenseCountingType', Values: ['vCPU', 'Core'] }] },
      error: 'FilterLimitExceededException',
    },
    {
      name: 'non-boolean filter value',
      operation: 'ListLicenseConfigurations',
      body: { Filters: [{ Name: 'enforceLicenseCount', Values: ['maybe'] }] },
      error: IPV,
    },
    {
      name: 'Filters not a list',
      operation: 'ListLicenseConfigurations',
      body: { Filters: { Name: 'licenseCountingType' } },
      error: IPV,
      message: /filters/,
    },
    {
      name: 'forged NextToken',
      operation: 'ListLicenseConfigurations',
      body: { NextToken: 'eyJhIjoiOTk5In0' },
      error: IPV,
      message: /NextToken/,
    },
    {
      name: 'reserved tag prefix',
      operation: 'TagResource',
      body: { ResourceArn: arn, Tags: [{ Key: 'aws:owner', Value: 'x' }] },
      error: IPV,
      message: /aws:/,
    },
    {
      name: 'tag key too long',
      operation: 'TagResource',
      body: { ResourceArn: arn, Tags: [{ Key: 'k'.repeat(129), Value: 'x' }] },
      error: IPV,
      message: /128/,
    },
    {
      name: 'more than 50 tags',
      operation: 'TagResource',
      body: { ResourceArn: arn, Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) },
      error: IPV,
      message: /50 tags/,
    },
    {
      name: 'tags on a resource type that takes none',
      operation: 'TagResource',
      body: { ResourceArn: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0abc', Tags: [{ Key: 'a', Value: 'b' }] },
      error: VALIDATION,
    },
    {
      name: 'untag without TagKeys',
      operation: 'UntagResource',
      body: { ResourceArn: arn },
      error: VALIDATION,
      message: /tagKeys/,
    },
    {
      name: 'another account deleting it',
      operation: 'DeleteLicenseConfiguration',
      body: { LicenseConfigurationArn: arn },
      request: { account: accounts.outsider },
      error: IPV,
      message: /does not exist/,
    },
    {
      name: 'oversized body',
      operation: 'CreateLicenseConfiguration',
      body: JSON.stringify(create({ Description: 'd'.repeat(2 * 1024 * 1024) })),
      status: 413,
      error: 'RequestEntityTooLargeException',
    },
  ];

  it('has at least 30 kinds of bad input', () => {
    expect(cases(PLACEHOLDER).length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases(PLACEHOLDER).map((c) => c.name))('%s', async (name) => {
    const c = cases(arn).find((candidate) => candidate.name === name)!;
    const response = await rawRequest(system, {
      account,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        ...(c.operation ? { 'x-amz-target': `AWSLicenseManager.${c.operation}` } : {}),
      },
      body: typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
      ...c.request,
    });
    expect({ status: response.status, type: response.json?.__type }).toEqual({
      status: c.status ?? 400,
      type: expect.stringMatching(new RegExp(`${c.error}$`)),
    });
    if (c.message) expect(response.json.Message).toMatch(c.message);
    expect(await state()).toEqual(snapshot);
  });
});
