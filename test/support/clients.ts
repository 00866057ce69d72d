import { execFile } from 'node:child_process';
import { Agent, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  CreateLicenseConfigurationCommand,
  LicenseManagerClient,
  ListAssociationsForLicenseConfigurationCommand,
  type CreateLicenseConfigurationRequest,
  type LicenseConfigurationAssociation,
} from '@aws-sdk/client-license-manager';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseExactJson, stringifyExactJson } from '@lm/contracts';
import { runAws, type CliResult } from './aws-cli';
import { rememberSecretsIn } from './secret-scan';
import { requireAwsCli, requireBoto3 } from './required-tools';
import { credentialsOf, type RunningSystem } from './system';

export type { CliResult };

type Account = Parameters<typeof credentialsOf>[0];

/**
 * Sockets an SDK client may open at once. The SDK's own agent allows 50, which would queue the
 * rest of a 100- or 200-way concurrency test inside the client: the system would never see them at once.
 */
export const MAX_SOCKETS = 256;

/**
 * A keep-alive HTTP agent that counts the requests it has on the wire (given a socket and not yet
 * done), and the most it ever had at once: what the server saw in flight from this client.
 */
export class CountingAgent extends Agent {
  inFlight = 0;
  peakInFlight = 0;

  constructor(maxSockets = MAX_SOCKETS) {
    super({ keepAlive: true, maxSockets });
  }

  // http.Agent hands every request to addRequest (undeclared in @types/node); the request is on
  // the wire from its 'socket' event, whether the socket is new or reused, until it closes.
  addRequest(request: ClientRequest, options: unknown): void {
    request.once('socket', () => {
      this.inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      request.once('close', () => this.inFlight--);
    });
    (Agent.prototype as unknown as { addRequest(r: ClientRequest, o: unknown): void }).addRequest.call(
      this,
      request,
      options,
    );
  }
}

/**
 * The official JS SDK client for an account, without retries so that every error shows, on an
 * agent that lets every request of a concurrency test be in flight at once (pass one to count them).
 */
export function licenseManager(system: RunningSystem, account: Account, agent?: Agent): LicenseManagerClient {
  return licenseManagerWithCredentials(system, credentialsOf(account), agent);
}

/** licenseManager with any credentials (temporary ones with their session token, say). */
export function licenseManagerWithCredentials(
  system: RunningSystem,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  agent: Agent = new CountingAgent(),
): LicenseManagerClient {
  const client = new LicenseManagerClient({
    endpoint: system.endpoint,
    region: system.region,
    credentials,
    maxAttempts: 1,
    requestHandler: { httpAgent: agent },
  });
  // The tokens it is handed are searched for in the system's logs and storage when it stops.
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      rememberSecretsIn(result.output);
      return result;
    },
    { step: 'initialize', name: 'rememberHandedOutSecrets' },
  );
  return client;
}

/** The environment of an AWS tool run as an account: its keys, and none of this machine's AWS configuration. */
function awsEnvironmentOf(account: Account): NodeJS.ProcessEnv {
  const { accessKeyId, secretAccessKey } = credentialsOf(account);
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

/**
 * Runs the AWS CLI against the system as an account (`aws <args> --endpoint-url ...`); fails saying
 * so when it is not installed. The CLI runs resident in the test file (support/aws-cli.ts): its own
 * entry point, argument parsing, signing and output, without a Python start-up per call.
 */
export async function awsCli(system: RunningSystem, account: Account, args: string[]): Promise<CliResult> {
  await requireAwsCli();
  return runAws([...args, '--endpoint-url', system.endpoint, '--region', system.region, '--output', 'json'], {
    ...awsEnvironmentOf(account),
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
  });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Credential scope service name; license-manager by default. */
  service?: string;
  /** Sign as this account; unsigned when omitted. */
  account?: Account;
  /** Override the signing clock (to test clock skew). */
  signingDate?: Date;
}

/** Sends an HTTP request as a client would, signed with SigV4 (or deliberately not). */
export async function rawRequest(system: RunningSystem, request: RawRequest): Promise<RawResponse> {
  const url = new URL(request.path ?? '/', system.endpoint);
  const body = request.body ?? '';
  const headers: Record<string, string> = { host: url.host, ...(request.headers ?? {}) };
  let signed = { headers };
  if (request.account) {
    const signer = new SignatureV4({
      service: request.service ?? 'license-manager',
      region: system.region,
      credentials: credentialsOf(request.account),
      sha256: Sha256,
    });
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, key) => (query[key] = value));
    signed = (await signer.sign(
      new HttpRequest({
        method: request.method ?? 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query,
        headers,
        body,
      }),
      { signingDate: request.signingDate },
    )) as unknown as { headers: Record<string, string> };
  }
  const { host: _host, ...sendHeaders } = signed.headers;
  const response = await fetch(url, {
    method: request.method ?? 'POST',
    headers: sendHeaders,
    body: request.method === 'GET' ? undefined : body,
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  rememberSecretsIn(json);
  return { status: response.status, headers: response.headers, text, json };
}

/** An awsJson1_1 call of a license-manager operation, signed as the account. */
export function callLicenseManager(
  system: RunningSystem,
  account: Account | undefined,
  operation: string,
  body: unknown,
): Promise<RawResponse> {
  return rawRequest(system, {
    account,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSLicenseManager.${operation}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A new RSA_2048 SIGN_VERIFY key of the account (the gateway's KMS subset): the ARN that licences sign with. */
export async function createSigningKey(system: RunningSystem, account: Account): Promise<string> {
  const key = await rawRequest(system, {
    account,
    service: 'kms',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.CreateKey' },
    body: JSON.stringify({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
  });
  if (key.status !== 200) throw new Error(`CreateKey answered ${key.status}: ${key.text}`);
  return key.json.KeyMetadata.Arn;
}

/** Every association of a license configuration, page by page. */
export async function associationsOf(
  client: LicenseManagerClient,
  LicenseConfigurationArn: string,
): Promise<LicenseConfigurationAssociation[]> {
  const associations: LicenseConfigurationAssociation[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new ListAssociationsForLicenseConfigurationCommand({ LicenseConfigurationArn, NextToken }),
    );
    associations.push(...page.LicenseConfigurationAssociations!);
    NextToken = page.NextToken;
  } while (NextToken);
  return associations;
}

/** A new license configuration of the client's account: its ARN. */
export async function createConfiguration(
  client: LicenseManagerClient,
  request: CreateLicenseConfigurationRequest,
): Promise<string> {
  return (await client.send(new CreateLicenseConfigurationCommand(request))).LicenseConfigurationArn!;
}

/**
 * Runs a boto3 script (`python3 <script> <endpoint> <region> <args...>`) as an account, with none of this
 * machine's AWS configuration: its standard output. Fails saying so when boto3 is not installed.
 */
export async function boto3Script(
  system: RunningSystem,
  account: Account,
  script: string,
  args: string[] = [],
): Promise<string> {
  await requireBoto3();
  return new Promise((resolve, reject) =>
    execFile(
      'python3',
      [script, system.endpoint, system.region, ...args],
      {
        env: awsEnvironmentOf(account),
        timeout: 60_000,
      },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    ),
  );
}

/** One call of a boto3 batch (test/e2e/boto3-batch.py). */
export interface Boto3Call {
  name: string;
  /** The boto3 method, e.g. list_license_conversion_tasks. */
  op: string;
  params?: Record<string, unknown>;
  /** Follow NextToken and gather the pages' list. */
  pages?: boolean;
}

export type Boto3CallResult = {
  result?: Record<string, any>;
  items?: Record<string, any>[];
  pages?: number;
  error?: { Code: string; Status: number; Message?: string };
};

/** Runs calls to one API (`service`, boto3's name) with boto3 in one python process, as `account`, by name. */
export async function boto3Batch(
  system: RunningSystem,
  account: Account,
  service: string,
  calls: Boto3Call[],
): Promise<Record<string, Boto3CallResult>> {
  const script = join(__dirname, '../e2e/boto3-batch.py');
  // Longs exact both ways (Python's integers are): a bigint parameter is sent as its digits, and one past 2 ** 53 - 1 answered is a bigint.
  return parseExactJson(await boto3Script(system, account, script, [service, stringifyExactJson(calls)])) as Record<
    string,
    Boto3CallResult
  >;
}
