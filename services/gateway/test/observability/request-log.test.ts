import { Logger } from '@nestjs/common';
import { apiModels } from '@lm/api-model';
import { createLogger, NestPinoLogger, type LogLevel } from '@lm/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { logRequest } from '../../src/observability/request-log';
import type { HttpRequest, ReceivedRequest } from '../../src/protocol';
import { KEYS, presignWithSmithy, signWithSmithy } from '../protocol/sigv4-support';

const caller = {
  accountId: '111111111111',
  principalArn: 'arn:aws:iam::111111111111:root',
  accessKeyId: KEYS.temporary.accessKeyId,
  region: 'us-east-1',
};

const BODY = JSON.stringify({ Name: 'windows-server', Description: 'body-marker-3f9a' });

const asHttp = (request: ReceivedRequest): HttpRequest => ({
  method: request.method,
  url: request.query ? `${request.path}?${request.query}` : request.path,
  headers: request.headers as Record<string, string>,
  body: request.body,
});

/** The lines the gateway's request log writes, as the process logger at `level` writes them. */
function captureLog(level: LogLevel = 'info') {
  let text = '';
  const logger = createLogger({
    service: 'gateway',
    level,
    format: 'json',
    colours: false,
    out: { write: (line) => (text += line) },
  });
  Logger.overrideLogger(new NestPinoLogger(logger));
  return () => text;
}

/** Every piece of credential material a signed request carries. */
function credentialMaterial(request: HttpRequest): string[] {
  const signature = /Signature=([0-9a-f]{64})/.exec(
    decodeURIComponent(request.headers['authorization'] ?? request.url),
  );
  return [
    KEYS.temporary.accessKeyId,
    KEYS.temporary.secretAccessKey,
    KEYS.temporary.sessionToken,
    signature![1],
    ...(request.headers['authorization'] ? [request.headers['authorization']] : []),
  ];
}

describe('the request log', () => {
  afterEach(() => Logger.overrideLogger(false));

  it('writes one line with what was asked, by whom, how it ended and how long it took', async () => {
    const written = captureLog();
    const request = asHttp(
      await signWithSmithy(
        'license-manager',
        {
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AWSLicenseManager.CreateLicenseConfiguration',
          },
          body: BODY,
        },
        KEYS.temporary,
      ),
    );

    logRequest(request, {
      requestId: 'a1b2c3d4-0000-4000-8000-000000000001',
      api: apiModels['license-manager'],
      operation: 'CreateLicenseConfiguration',
      caller,
      status: 400,
      errorCode: 'InvalidParameterValueException',
      started: process.hrtime.bigint() - 12_345_678n,
    });

    const lines = written().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]);
    expect(record).toEqual({
      level: 'info',
      time: expect.any(String),
      service: 'gateway',
      pid: process.pid,
      context: 'request',
      requestId: 'a1b2c3d4-0000-4000-8000-000000000001',
      method: 'POST',
      path: '/',
      api: 'license-manager',
      operation: 'CreateLicenseConfiguration',
      accountId: '111111111111',
      status: 400,
      errorCode: 'InvalidParameterValueException',
      durationMs: expect.any(Number),
      msg: 'CreateLicenseConfiguration answered 400 InvalidParameterValueException',
    });
    expect(record.durationMs).toBeGreaterThanOrEqual(12.3);
    // Nothing of the signed request's credentials, nor its body.
    for (const secret of [...credentialMaterial(request), 'body-marker-3f9a']) expect(lines[0]).not.toContain(secret);
    expect(lines[0]).not.toMatch(/authorization|x-amz-security-token|signature|credential/i);
  });

  it('leaves out the query string, where a presigned request carries its signature and session token', async () => {
    const written = captureLog();
    const request = asHttp(
      await presignWithSmithy(
        'sts',
        { method: 'GET', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } },
        300,
        KEYS.temporary,
      ),
    );
    expect(request.url).toContain('X-Amz-Security-Token=');

    logRequest(request, {
      requestId: 'r-2',
      operation: 'unknown',
      status: 403,
      errorCode: 'InvalidClientTokenId',
      started: process.hrtime.bigint(),
    });

    const line = written();
    expect(JSON.parse(line)).toMatchObject({ path: '/', status: 403, errorCode: 'InvalidClientTokenId' });
    for (const secret of credentialMaterial(request)) expect(line).not.toContain(secret);
    expect(line).not.toMatch(/X-Amz-|signature|credential/i);
  });

  it('names the operation a refused request tried, and logs a 5xx at error level', async () => {
    const written = captureLog();
    const request = asHttp(
      await signWithSmithy('license-manager', {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSLicenseManager.ListLicenses' },
        body: '{}',
      }),
    );

    logRequest(request, {
      requestId: 'r-3',
      operation: 'unknown',
      status: 403,
      errorCode: 'InvalidSignatureException',
      started: process.hrtime.bigint(),
    });
    logRequest(request, {
      requestId: 'r-4',
      api: apiModels['license-manager'],
      operation: 'ListLicenses',
      status: 500,
      errorCode: 'ServerInternalException',
      started: process.hrtime.bigint(),
    });

    const [refused, failed] = written()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(refused).toMatchObject({ level: 'info', api: 'license-manager', operation: 'ListLicenses', status: 403 });
    expect(refused.accountId).toBeUndefined();
    expect(failed).toMatchObject({ level: 'error', requestId: 'r-4', status: 500 });
  });

  it('writes nothing below LM_LOG_LEVEL: at warn, only failures of the gateway or a service', async () => {
    const written = captureLog('warn');
    const request: HttpRequest = { method: 'POST', url: '/', headers: {}, body: Buffer.alloc(0) };

    logRequest(request, { requestId: 'r-5', operation: 'ListLicenses', status: 200, started: process.hrtime.bigint() });
    logRequest(request, {
      requestId: 'r-6',
      operation: 'ListLicenses',
      status: 503,
      errorCode: 'ServiceUnavailableException',
      started: process.hrtime.bigint(),
    });

    const records = written()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(records.map((record) => record.requestId)).toEqual(['r-6']);
  });
});
