import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AWS_CLI_MISSING, BOTO3_MISSING, checkAwsCli, checkBoto3, PYTHON3_MISSING } from '../support/required-tools';

describe('the tools that the AWS CLI and boto3 suites need', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'lm-tools-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('are there on this machine (the suites that drive them run, not skip)', async () => {
    await expect(checkAwsCli()).resolves.toBeUndefined();
    await expect(checkBoto3()).resolves.toBeUndefined();
  });

  it('when absent, make those tests fail with one line saying what to install', async () => {
    const nothing = join(scratch, 'empty');
    mkdirSync(nothing);
    await expect(checkAwsCli(nothing)).rejects.toThrow(AWS_CLI_MISSING);
    await expect(checkBoto3(nothing)).rejects.toThrow(PYTHON3_MISSING);
  });

  it('tell a python3 without boto3 from no python3 at all', async () => {
    // The real interpreter (pyenv puts a shell shim first on the PATH), with site-packages, where
    // boto3 lives, turned off.
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'python3'), `#!/bin/sh\nexec ${python} -I -S "$@"\n`);
    chmodSync(join(bin, 'python3'), 0o755);
    await expect(checkBoto3(`${bin}:/usr/bin:/bin`)).rejects.toThrow(BOTO3_MISSING);
  });
});
