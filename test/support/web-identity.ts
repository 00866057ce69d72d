import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { requireBoto3 } from './required-tools';
import { rememberSecretsIn } from './secret-scan';
import type { RunningSystem } from './system';

/** What test/e2e/sts-web-identity.py prints: the result's members, or the error. */
export interface StsAnswer {
  credentials?: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
  subject?: string;
  assumedRoleUser?: { AssumedRoleId: string; Arn: string };
  audience?: string;
  provider?: string;
  error?: { code: string; status: number; message: string };
}

/**
 * STS AssumeRoleWithWebIdentity with boto3's own STS client, as the software of a customer without
 * an AWS account runs it: unsigned, in a process without any AWS credentials.
 */
export async function assumeRoleWithWebIdentity(
  system: RunningSystem,
  request: { accessToken: string; roleArn: string; sessionName: string; durationSeconds?: number },
): Promise<StsAnswer> {
  await requireBoto3();
  const script = join(__dirname, '../e2e/sts-web-identity.py');
  const args = [script, system.endpoint, system.region, request.roleArn, request.sessionName];
  if (request.durationSeconds !== undefined) args.push(String(request.durationSeconds));
  return new Promise((resolve, reject) => {
    const child = execFile(
      'python3',
      args,
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
        timeout: 60_000,
      },
      (error, out, err) => {
        if (error) return reject(new Error(`${error.message}\n${err}`));
        const answer = JSON.parse(out) as StsAnswer;
        // Its temporary credentials are searched for in the system's logs and storage when it stops.
        rememberSecretsIn(answer);
        resolve(answer);
      },
    );
    child.stdin!.end(request.accessToken);
  });
}
