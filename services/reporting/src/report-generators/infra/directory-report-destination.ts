import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { ReportDestination } from '../application/report-destination';

/** Reports written as files, `<root>/<bucket>/<key>`, when no S3 endpoint is configured. */
export class DirectoryReportDestination implements ReportDestination {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(bucket: string, key: string, csv: string): Promise<void> {
    const path = resolve(this.root, bucket, key);
    // Names are checked, but a path outside the directory is never written, whatever a name holds.
    if (!path.startsWith(this.root + sep)) throw new Error(`The report key ${key} leaves the reports directory.`);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, csv);
    } catch (error) {
      // The reason reaches the generator's owner: the bucket and key, and the error's code, not the server's paths.
      const code = (error as NodeJS.ErrnoException).code ?? 'an error';
      throw new Error(`The report could not be written to ${bucket}/${key} in the reports directory (${code}).`, {
        cause: error,
      });
    }
  }
}
