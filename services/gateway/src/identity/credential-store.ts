import { readFileSync } from 'node:fs';
import type { SessionCredentials } from '@lm/messaging';
import type { Caller } from '@lm/contracts';

/** The file named by LM_CREDENTIALS_FILE: accounts with their access keys, and organizations. */
export interface CredentialsFile {
  accounts: {
    accountId: string;
    organizationId?: string;
    organizationalUnitId?: string;
    accessKeys: { accessKeyId: string; secretAccessKey: string }[];
  }[];
  organizations?: {
    id: string;
    managementAccountId: string;
    rootId: string;
    organizationalUnits?: { id: string; parentId: string }[];
  }[];
}

interface KeyEntry {
  secretAccessKey: string;
  accountId: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Who owns which access key, and where each account sits in its organization. Loaded once;
 * the secrets stay in this object and are never logged or sent anywhere.
 */
export class CredentialStore {
  private readonly keys = new Map<string, KeyEntry>();
  private readonly callers = new Map<string, Omit<Caller, 'accessKeyId' | 'region'>>();

  constructor(file: CredentialsFile) {
    const organizations = new Map((file.organizations ?? []).map((org) => [org.id, org]));
    const members = new Map<string, { accountId: string; organizationalUnitPath: string[] }[]>();
    for (const account of file.accounts ?? []) {
      const org = account.organizationId ? organizations.get(account.organizationId) : undefined;
      if (!org) continue;
      const member = {
        accountId: account.accountId,
        organizationalUnitPath: ouPath(org, account.organizationalUnitId ?? org.rootId),
      };
      members.set(org.id, [...(members.get(org.id) ?? []), member]);
    }
    for (const account of file.accounts ?? []) {
      if (!ACCOUNT_ID.test(account.accountId))
        throw new Error(`credentials file: account id ${account.accountId} is not 12 digits`);
      let organization: Caller['organization'];
      if (account.organizationId) {
        const org = organizations.get(account.organizationId);
        if (!org)
          throw new Error(
            `credentials file: account ${account.accountId} names unknown organization ${account.organizationId}`,
          );
        organization = {
          id: org.id,
          managementAccountId: org.managementAccountId,
          rootId: org.rootId,
          organizationalUnitPath: ouPath(org, account.organizationalUnitId ?? org.rootId),
          ...(org.managementAccountId === account.accountId ? managedMembers(members.get(org.id) ?? []) : {}),
        };
      }
      this.callers.set(account.accountId, {
        accountId: account.accountId,
        principalArn: `arn:aws:iam::${account.accountId}:root`,
        organization,
      });
      for (const key of account.accessKeys ?? []) {
        if (this.keys.has(key.accessKeyId))
          throw new Error(`credentials file: access key ${key.accessKeyId} appears twice`);
        this.keys.set(key.accessKeyId, { secretAccessKey: key.secretAccessKey, accountId: account.accountId });
      }
    }
  }

  static fromFile(path: string): CredentialStore {
    return new CredentialStore(JSON.parse(readFileSync(path, 'utf8')) as CredentialsFile);
  }

  secretFor(accessKeyId: string): { secretAccessKey: string } | undefined {
    const entry = this.keys.get(accessKeyId);
    return entry && { secretAccessKey: entry.secretAccessKey };
  }

  /** The caller an authenticated access key stands for. */
  callerFor(accessKeyId: string, region: string): Caller {
    const entry = this.keys.get(accessKeyId);
    if (!entry) throw new Error('callerFor needs an access key that was authenticated');
    return { ...this.callers.get(entry.accountId)!, accessKeyId, region };
  }

  /**
   * The caller that authenticated temporary credentials stand for: the assumed-role session
   * (`arn:aws:sts::<account>:assumed-role/<role name>/<session name>`) in the organization of its
   * account, limited to consuming the credentials' licence.
   */
  sessionCallerFor(credentials: SessionCredentials, region: string): Caller {
    const { AccountId: accountId, RoleArn, RoleSessionName, AccessKeyId, LicenseArn } = credentials;
    // The role name is the last segment of the role's path (arn:aws:iam::<account>:role/<path/>name).
    const roleName = RoleArn.slice(RoleArn.lastIndexOf('/') + 1);
    return {
      accountId,
      principalArn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${RoleSessionName}`,
      accessKeyId: AccessKeyId,
      region,
      organization: this.callers.get(accountId)?.organization,
      restrictedToLicenseArn: LicenseArn,
    };
  }
}

/** What the management account is told of its organization's accounts. */
function managedMembers(memberAccounts: { accountId: string; organizationalUnitPath: string[] }[]) {
  return { memberAccountIds: memberAccounts.map((member) => member.accountId), memberAccounts };
}

/** The OU followed by its ancestors up to the root; a cycle or unknown parent is a file error. */
function ouPath(org: NonNullable<CredentialsFile['organizations']>[number], ouId: string): string[] {
  const parents = new Map((org.organizationalUnits ?? []).map((ou) => [ou.id, ou.parentId]));
  const path = [ouId];
  let current = ouId;
  while (current !== org.rootId) {
    const parent = parents.get(current);
    if (!parent || path.includes(parent))
      throw new Error(`credentials file: OU ${current} of ${org.id} does not lead to root ${org.rootId}`);
    path.push(parent);
    current = parent;
  }
  return path;
}
