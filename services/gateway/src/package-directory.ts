import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The gateway's package directory (services/gateway), found by walking up from where its code
 * runs: tsc's dist/ and its folders, the bundle's dist/bundle/ (one __dirname for every module) or,
 * under vitest, src/. The files beside it in the repository and the image (the web console's
 * build, the development credentials) are found from there.
 */
export const GATEWAY_DIRECTORY = nearestPackageDirectory(__dirname);

function nearestPackageDirectory(start: string): string {
  for (let directory = start; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    if (dirname(directory) === directory) throw new Error(`no package.json in ${start} or above`);
  }
}
