import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callLicenseManager, rawRequest } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

interface LogRecord {
  level: string;
  time: string;
  service: string;
  pid: number;
  context?: string;
  msg: string;
  [field: string]: unknown;
}

const SERVICES = ['licensing', 'discovery', 'grants'] as const;

/** Polls until `find` gives a non-empty list (logs arrive through a pipe, maybe after the response). */
async function eventually<T>(find: () => T[], timeoutMs = 5_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found.length > 0 || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('structured logs', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    // Debug: each handled operation is logged by the service that handled it.
    system = await startSystem({ LM_LOG_LEVEL: 'debug' });
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** The complete lines a process wrote (its output is a pipe: JSON lines), each parsed. */
  const lines = (name: 'gateway' | (typeof SERVICES)[number]) => {
    const output = system.logs(name);
    return output.slice(0, output.lastIndexOf('\n')).split('\n');
  };
  const records = (name: 'gateway' | (typeof SERVICES)[number]) =>
    lines(name).map((line) => JSON.parse(line) as LogRecord);
  const requestLines = (requestId: string) =>
    records('gateway').filter((record) => record.context === 'request' && record.requestId === requestId);

  it("writes only JSON lines, each with service, level, time and message, Nest's start-up lines included", () => {
    for (const name of ['gateway', ...SERVICES] as const) {
      for (const record of records(name)) {
        expect(record).toMatchObject({
          service: name,
          level: expect.stringMatching(/^(trace|debug|info|warn|error|fatal)$/),
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          msg: expect.any(String),
        });
      }
    }
    // The gateway is a Nest application context (its HTTP server is Node's own): Nest's lines are those of its start.
    expect(records('gateway')).toContainEqual(
      expect.objectContaining({ level: 'info', context: 'NestFactory', msg: 'Starting Nest application...' }),
    );
    for (const name of SERVICES) {
      expect(records(name)).toContainEqual(
        expect.objectContaining({ context: 'NestMicroservice', msg: 'Nest microservice successfully started' }),
      );
      expect(records(name)).toContainEqual(expect.objectContaining({ level: 'info', context: name, msg: 'ready' }));
    }
  });

  it('logs an answered request once at the gateway, with its request id and no credential, and at debug in the service', async () => {
    const response = await callLicenseManager(system, accounts.management, 'ListLicenseConfigurations', {});
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-amzn-requestid')!;

    const [line, ...more] = await eventually(() => requestLines(requestId));
    expect(more).toEqual([]);
    expect(line).toEqual({
      level: 'info',
      time: expect.any(String),
      service: 'gateway',
      pid: system.pids('gateway')[0],
      context: 'request',
      msg: 'ListLicenseConfigurations answered 200',
      requestId,
      method: 'POST',
      path: '/',
      api: 'license-manager',
      operation: 'ListLicenseConfigurations',
      accountId: accounts.management.accountId,
      status: 200,
      durationMs: expect.any(Number),
    });
    const gatewayText = system.logs('gateway');
    expect(gatewayText).not.toContain(accounts.management.accessKeys[0].secretAccessKey);
    expect(gatewayText).not.toContain(accounts.management.accessKeys[0].accessKeyId);
    expect(gatewayText).not.toMatch(/AWS4-HMAC-SHA256|Signature=/);

    const handled = await eventually(() => records('licensing').filter((record) => record.requestId === requestId));
    expect(handled).toEqual([
      expect.objectContaining({
        level: 'debug',
        context: 'Operation',
        msg: 'operation handled',
        operation: 'ListLicenseConfigurations',
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it('logs a request refused at authentication under the operation it tried, without an account', async () => {
    const forger = {
      accountId: accounts.management.accountId,
      accessKeys: [
        { accessKeyId: accounts.management.accessKeys[0].accessKeyId, secretAccessKey: 'forged-secret-0123456789' },
      ],
    };
    const response = await rawRequest(system, {
      account: forger,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSLicenseManager.ListLicenses' },
      body: '{}',
    });
    expect(response.status).toBe(403);
    const requestId = response.headers.get('x-amzn-requestid')!;

    const [line, ...more] = await eventually(() => requestLines(requestId));
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 'info',
      operation: 'ListLicenses',
      api: 'license-manager',
      status: 403,
      errorCode: 'InvalidSignatureException',
    });
    expect(line.accountId).toBeUndefined();
    expect(system.logs('gateway')).not.toContain('forged-secret-0123456789');
  });

  it("names the request in the service's error line when the service fails, and in the gateway's request line", async () => {
    // The view ListLicenseConfigurations reads goes away: the service fails as it would on a broken database.
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    await db.query('ALTER TABLE licensing.license_configurations RENAME TO license_configurations_gone');
    let response;
    try {
      response = await callLicenseManager(system, accounts.member, 'ListLicenseConfigurations', {});
    } finally {
      await db.query('ALTER TABLE licensing.license_configurations_gone RENAME TO license_configurations');
      await db.end();
    }
    expect(response.status).toBe(500);
    const requestId = response.headers.get('x-amzn-requestid')!;

    const failures = await eventually(() =>
      records('licensing').filter((record) => record.level === 'error' && record.requestId === requestId),
    );
    expect(failures).toEqual([
      expect.objectContaining({
        service: 'licensing',
        context: 'Operation',
        operation: 'ListLicenseConfigurations',
        msg: expect.stringMatching(/^ListLicenseConfigurations failed: .*license_configurations/),
        err: expect.objectContaining({ stack: expect.stringContaining('\n    at ') }),
      }),
    ]);
    const [line, ...more] = await eventually(() => requestLines(requestId));
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 'error',
      operation: 'ListLicenseConfigurations',
      accountId: accounts.member.accountId,
      status: 500,
      errorCode: 'ServerInternalException',
    });
    // Nothing of the failure's detail reaches the client.
    expect(response.text).not.toContain('license_configurations');
  });
});
