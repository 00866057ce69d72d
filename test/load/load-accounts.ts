import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessKey } from './signed-http-client';

/** An account as infra/credentials.dev.json describes one; load accounts belong to no organization. */
export interface LoadAccount {
  accountId: string;
  accessKeys: [AccessKey];
}

export interface CredentialsFile {
  path: string;
  remove(): Promise<void>;
}

/** `count` accounts with AWS-shaped identifiers: 12-digit ids, 20-character key ids, 40-character secrets. */
export function generateAccounts(count: number): LoadAccount[] {
  return Array.from({ length: count }, (_, index) => ({
    accountId: String(100_000_000_000 + index),
    accessKeys: [
      {
        accessKeyId: `AKIALOAD${String(index).padStart(12, '0')}`,
        secretAccessKey: randomBytes(30).toString('base64'),
      },
    ],
  }));
}

/** The accounts as a credentials file (what LM_CREDENTIALS_FILE names), in a directory of its own. */
export async function writeCredentialsFile(accounts: LoadAccount[]): Promise<CredentialsFile> {
  const dir = await mkdtemp(join(tmpdir(), 'lm-load-credentials-'));
  const path = join(dir, 'credentials.json');
  await writeFile(path, JSON.stringify({ accounts }, null, 2));
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
