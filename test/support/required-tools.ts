import { execFile } from 'node:child_process';

/**
 * The suites that drive the AWS CLI or boto3 need them installed. Where one is missing, those
 * tests fail with one line saying what to install, not an ENOENT trace; they are not skipped, so
 * that a machine without them (CI included) cannot pass the suite without running them.
 */

export const AWS_CLI_MISSING = 'the AWS CLI (`aws`) is not installed: apt-get install awscli, or pip install awscli';
export const PYTHON3_MISSING =
  'python3 is not installed (the boto3 tests need it): apt-get install python3 python3-boto3';
export const BOTO3_MISSING = "python3's boto3 is not installed: apt-get install python3-boto3, or pip install boto3";

/** Runs `command args` with `path` as PATH: ENOENT when it is not there, else its error (or none) and its stderr. */
function run(
  command: string,
  args: string[],
  path: string,
): Promise<{ error?: NodeJS.ErrnoException; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      command,
      args,
      { env: { PATH: path, HOME: process.env.HOME }, timeout: 30_000 },
      (error, _stdout, stderr) => resolve({ error: error ?? undefined, stderr }),
    ),
  );
}

/** Resolves when `aws` runs; else rejects with what to install. */
export async function checkAwsCli(path = process.env.PATH ?? ''): Promise<void> {
  const { error, stderr } = await run('aws', ['--version'], path);
  if (error?.code === 'ENOENT') throw new Error(AWS_CLI_MISSING);
  if (error) throw new Error(`the AWS CLI (\`aws --version\`) does not run: ${error.message} ${stderr}`.trim());
}

/** Resolves when python3 imports boto3; else rejects with what to install. */
export async function checkBoto3(path = process.env.PATH ?? ''): Promise<void> {
  const { error, stderr } = await run('python3', ['-c', 'import boto3'], path);
  if (error?.code === 'ENOENT') throw new Error(PYTHON3_MISSING);
  if (error && /No module named '?(boto3|botocore)/.test(stderr)) throw new Error(BOTO3_MISSING);
  if (error) throw new Error(`python3 cannot import boto3: ${error.message} ${stderr}`.trim());
}

let awsCli: Promise<void> | undefined;
let boto3: Promise<void> | undefined;

/** checkAwsCli once per test file: what every test that runs `aws` awaits first. */
export const requireAwsCli = (): Promise<void> => (awsCli ??= checkAwsCli());
/** checkBoto3 once per test file: what every test that runs a boto3 script awaits first. */
export const requireBoto3 = (): Promise<void> => (boto3 ??= checkBoto3());
