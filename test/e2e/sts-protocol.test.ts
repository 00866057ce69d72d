import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/clients';
import { requireBoto3 } from '../support/required-tools';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const ROLE_ARN = 'arn:aws:iam::222222222222:role/licence-consumer';

/**
 * Calls AssumeRoleWithWebIdentity with boto3's own STS client, which sends it unsigned, in a
 * process without any AWS credentials. Prints the parsed result or the parsed error.
 */
const BOTO3_ASSUME = `
import json, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
endpoint, region, token = sys.argv[1:4]
sts = boto3.client('sts', endpoint_url=endpoint, region_name=region, config=Config(retries={'max_attempts': 1, 'mode': 'standard'}))
try:
    result = sts.assume_role_with_web_identity(RoleArn='${ROLE_ARN}', RoleSessionName='app-1', WebIdentityToken=token, DurationSeconds=900)
    print(json.dumps({'result': result}, default=str))
except ClientError as error:
    print(json.dumps({'error': error.response['Error'], 'status': error.response['ResponseMetadata']['HTTPStatusCode'],
                      'requestId': error.response['ResponseMetadata'].get('RequestId')}))
`;

async function boto3Assume(system: RunningSystem, token: string): Promise<any> {
  await requireBoto3();
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      ['-c', BOTO3_ASSUME, system.endpoint, system.region, token],
      // No credentials anywhere: the call must work unsigned.
      {
        env: {
          PATH: process.env.PATH,
          HOME: '/nonexistent',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}

const form = (params: Record<string, string>) =>
  new URLSearchParams({
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleArn: ROLE_ARN,
    RoleSessionName: 'app-1',
    ...params,
  }).toString();

const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

describe('STS AssumeRoleWithWebIdentity over the query protocol', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('answers an invalid web identity token with InvalidIdentityToken, as boto3 parses STS errors', async () => {
    const observed = await boto3Assume(system, 'not-an-access-token-of-this-service');
    expect(observed).toMatchObject({
      status: 400,
      error: { Type: 'Sender', Code: 'InvalidIdentityToken', Message: expect.any(String) },
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('answers in STS XML, with the request id of the response header', async () => {
    const response = await rawRequest(system, {
      headers: FORM_HEADERS,
      body: form({ WebIdentityToken: 'not-a-token' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.text).toMatch(
      new RegExp(
        '^<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>' +
          `<Message>[^<]*</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>$`,
      ),
    );
  });

  it('answers ValidationError for input the model refuses, before grants sees it', async () => {
    const response = await rawRequest(system, {
      headers: FORM_HEADERS,
      body: form({ WebIdentityToken: 'token', DurationSeconds: '60' }),
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain('<Code>ValidationError</Code>');
    expect(response.text).toContain(
      "Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });

  it('accepts only this operation unsigned: anything else still needs SigV4', async () => {
    const otherAction = await rawRequest(system, {
      headers: FORM_HEADERS,
      body: form({ Action: 'AssumeRole', WebIdentityToken: 'token' }),
    });
    expect(otherAction.status).toBe(403);
    expect(otherAction.text).toContain('<Code>MissingAuthenticationToken</Code>');

    const licenseManager = await rawRequest(system, {
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSLicenseManager.ListLicenses' },
      body: '{}',
    });
    expect(licenseManager.status).toBe(403);
    expect(licenseManager.json.__type).toMatch(/MissingAuthenticationTokenException$/);
  });

  it('also serves the operation signed, and refuses an action STS does not serve here', async () => {
    const signed = await rawRequest(system, {
      account: accounts.member,
      service: 'sts',
      headers: FORM_HEADERS,
      body: form({ WebIdentityToken: 'not-a-token' }),
    });
    expect(signed.status).toBe(400);
    expect(signed.text).toContain('<Code>InvalidIdentityToken</Code>');

    const unknown = await rawRequest(system, {
      account: accounts.member,
      service: 'sts',
      headers: FORM_HEADERS,
      body: new URLSearchParams({ Action: 'GetCallerIdentity', Version: '2011-06-15' }).toString(),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
  });
});
