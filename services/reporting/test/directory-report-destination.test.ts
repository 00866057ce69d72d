import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryReportDestination } from '../src/report-generators/infra/directory-report-destination';

describe('reports written to a directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'lm-destination-'));
  const destination = new DirectoryReportDestination(root);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes <bucket>/<key> under the directory', async () => {
    await destination.put('aws-license-manager-service-x', 'Reports/daily/2026/03/01/r-summary.csv', 'a,b\r\n');
    expect(
      readFileSync(join(root, 'aws-license-manager-service-x/Reports/daily/2026/03/01/r-summary.csv'), 'utf8'),
    ).toBe('a,b\r\n');
  });

  it('never writes outside the directory', async () => {
    await expect(destination.put('bucket', '../../escaped.csv', 'x')).rejects.toThrow(/leaves the reports directory/);
    await expect(destination.put('..', 'escaped.csv', 'x')).rejects.toThrow(/leaves the reports directory/);
  });

  it('tells why it could not write with the bucket, the key and the error code, not the server’s paths', async () => {
    writeFileSync(join(root, 'not-a-folder'), '');
    const failure = destination.put('not-a-folder', 'Reports/r.csv', 'x');
    await expect(failure).rejects.toThrow(
      'The report could not be written to not-a-folder/Reports/r.csv in the reports directory (ENOTDIR).',
    );
  });
});
