import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAws, spawnAws } from '../support/aws-cli';
import { freePort } from '../support/system';

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * The suites run the AWS CLI resident in their test file (support/aws-cli.ts). What they prove of
 * the CLI holds only if a resident call is an `aws` process: the same request on the wire, the same
 * output and exit code, and nothing carried over from one call to the next.
 */
describe('the resident AWS CLI', () => {
  let server: Server;
  let endpoint: string;
  const seen: Seen[] = [];
  const env = (more: Record<string, string> = {}) => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'AKIDRESIDENTCLI00001',
    AWS_SECRET_ACCESS_KEY: 'resident-cli-secret',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_MAX_ATTEMPTS: '1',
    ...more,
  });
  /** The same call resident and as a process of its own, one after the other. */
  const both = async (args: string[], callEnv = env()) => {
    const resident = await runAws(args, callEnv);
    const spawned = await spawnAws(args, callEnv, 60_000);
    return { resident: { exitCode: resident.exitCode, stdout: resident.stdout, stderr: resident.stderr }, spawned };
  };

  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        const fail = body.includes('fail-please');
        response.writeHead(fail ? 400 : 200, {
          'content-type': 'application/x-amz-json-1.1',
          ...(fail ? { 'x-amzn-errortype': 'ValidationException' } : {}),
        });
        response.end(
          JSON.stringify(
            fail
              ? { __type: 'ValidationException', message: 'refused as asked' }
              : { LicenseConfigurations: [{ Name: 'résident', LicenseCount: 3 }] },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the request an aws process sends, and prints and exits as it does', async () => {
    const call = [
      'license-manager',
      'list-license-configurations',
      '--endpoint-url',
      endpoint,
      '--region',
      'eu-west-3',
    ];
    seen.length = 0;
    const answered = await both([...call, '--output', 'json']);
    expect(answered.resident).toEqual(answered.spawned);
    expect(answered.resident.exitCode).toBe(0);
    expect(JSON.parse(answered.resident.stdout)).toEqual({
      LicenseConfigurations: [{ Name: 'résident', LicenseCount: 3 }],
    });
    // Signed by the same code with the same keys, the same CLI, botocore and Python in the user agent.
    const [resident, spawned] = seen;
    const comparable = ({ method, url, headers, body }: Seen) => ({
      method,
      url,
      body,
      headers: {
        ...headers,
        // Random per call, and the features the user agent lists come from a set (Python orders it per process).
        'amz-sdk-invocation-id': undefined,
        'user-agent': headers['user-agent']?.replace(
          / m\/([\w,]+)/,
          (_, ids: string) => ` m/${ids.split(',').sort().join(',')}`,
        ),
        authorization: headers.authorization?.replace(/Signature=\w+/, 'Signature=…').replace(/\/\d{8}\//, '/…/'),
        'x-amz-date': undefined,
      },
    });
    expect(comparable(resident)).toEqual(comparable(spawned));
    expect(resident.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDRESIDENTCLI00001\//);

    const refused = await both([...call, '--filters', 'Name=fail-please,Values=x']);
    expect(refused.resident).toEqual(refused.spawned);
    expect(refused.resident.stderr).toMatch(/\(ValidationException\).*refused as asked/);
  });

  it("answers bad arguments, an unreachable endpoint and the CLI's own commands as an aws process does", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    for (const args of [
      ['license-manager', 'list-license-configurations', '--no-such-option'],
      ['license-manager', 'list-license-configurations', '--max-results', 'many', '--endpoint-url', endpoint],
      ['license-manager', 'get-license-configuration', '--region', 'us-east-1', '--endpoint-url', endpoint],
      ['sts', 'get-caller-identity', '--endpoint-url', closed, '--region', 'us-east-1'],
      ['no-such-service', 'list'],
      ['configure', 'list'],
      ['--version'],
    ]) {
      const answered = await both(args, env({ AWS_DEFAULT_REGION: 'ap-south-2' }));
      expect(answered.resident, args.join(' ')).toEqual(answered.spawned);
    }
  });

  it('runs each call with its own environment only', async () => {
    const first = await runAws(['configure', 'list'], env({ AWS_DEFAULT_REGION: 'ap-south-2' }));
    expect(first.stdout).toMatch(/region\s+ap-south-2\s+env/);
    expect(first.stdout).toMatch(/access_key\s+\*+0001\s+env/);
    const second = await runAws(['configure', 'list'], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    });
    expect(second.stdout).toMatch(/region\s+<not set>/);
    expect(second.stdout).toMatch(/access_key\s+<not set>/);
    const keys = await runAws(['configure', 'list'], env({ AWS_ACCESS_KEY_ID: 'AKIDOTHERACCOUNT0002' }));
    expect(keys.stdout).toMatch(/\*+0002/);
    expect(keys.stdout).not.toMatch(/0001/);
  });
});
