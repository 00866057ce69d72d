import { isIPv6 } from 'node:net';
import { Client, DN, type Entry, escapeFilter, ResultCodeError } from 'ldapts';
import { type ConfigOf, tcpPort } from '@lm/service-kit';
import type {
  Directory,
  DirectoryConnection,
  DirectoryFailure,
  DirectoryUser,
  DirectoryUserLookup,
  DirectoryVerification,
} from '../application/directory';

/** The directory adapter's settings, read with the service's when it starts. */
export const directorySettings = {
  /** LM_DIRECTORY_LDAP_PORT: the domain controllers' LDAP port (389, Active Directory's, unless said: test set-ups). */
  directoryLdapPort: tcpPort('LM_DIRECTORY_LDAP_PORT'),
};

const LDAP_PORT = 389;
/** A domain controller that does not take the connection, or answer an operation, within these fails fast. */
const CONNECT_TIMEOUT_MS = 3_000;
const OPERATION_TIMEOUT_MS = 5_000;

/** LDAP result codes (RFC 4511) this adapter acts on. */
const INVALID_DN_SYNTAX = 34;

/** The attributes a user is read with: Active Directory's, and inetOrgPerson's where its schema is not there. */
const USER_ATTRIBUTES = ['sAMAccountName', 'uid', 'displayName', 'mail'];

/** The adapter with the deployment's settings (the provider's factory). */
export function ldapDirectory(config: ConfigOf<typeof directorySettings>): LdapDirectory {
  return new LdapDirectory(config.directoryLdapPort ?? LDAP_PORT);
}

/** A domain controller did not answer (refused, unreachable, timed out): the next one is tried. */
class Unanswered extends Error {}

/** The directory answered an operation with an LDAP error. */
class DirectoryRefusal extends Error {
  readonly code: number;
  constructor(where: string, doing: string, error: ResultCodeError) {
    super(`${where} refused to ${doing}: ${describeResult(error)}`);
    this.code = error.code;
  }
}

/**
 * The directory over LDAP, as License Manager reaches an Active Directory: it binds as the
 * credentials' user principal name, `<username>@<DomainName>`, and where the directory refuses that
 * form (a directory that is not AD takes distinguished names only) as
 * `CN=<username>,CN=Users,<base DN>`; the base DN is the domain name's (corp.example.com →
 * DC=corp,DC=example,DC=com). A user is found as AD finds one,
 * `(&(objectClass=user)(sAMAccountName=<username>))`, else by `(uid=<username>)` for a directory
 * without AD's schema. Each call opens its own connection to the first domain controller that
 * answers and closes it after; a dead one fails within the timeouts, never hangs.
 */
export class LdapDirectory implements Directory {
  constructor(private readonly port: number) {}

  verify(connection: DirectoryConnection): Promise<DirectoryVerification> {
    return this.withSession(connection, async (client, baseDn, where) => {
      await this.attempt(where, `read the domain's base entry ${baseDn}`, () =>
        client.search(baseDn, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] }),
      );
      return { ok: true };
    });
  }

  findUser(connection: DirectoryConnection, username: string): Promise<DirectoryUserLookup> {
    return this.withSession(connection, async (client, baseDn, where) => {
      // RFC 4515: the username is a value in the filter, never filter syntax.
      const filters = [
        escapeFilter`(&(objectClass=user)(sAMAccountName=${username}))`,
        escapeFilter`(uid=${username})`,
      ];
      for (const filter of filters) {
        const { searchEntries } = await this.attempt(where, `search ${baseDn} for ${filter}`, () =>
          client.search(baseDn, { scope: 'sub', filter, attributes: USER_ATTRIBUTES }),
        );
        if (searchEntries.length > 1)
          return failure(`${where}: ${searchEntries.length} entries match ${filter}; a logon name must name one user`);
        if (searchEntries.length === 1) return { ok: true, user: userOf(searchEntries[0], username) };
      }
      return { ok: true, user: undefined };
    });
  }

  /**
   * Binds to the first domain controller that answers and runs `work` there; closes the connection
   * after. A controller that answers with an LDAP error (wrong credentials, say) is the answer: the
   * next one would only count another failed logon against the account.
   */
  private async withSession<T>(
    connection: DirectoryConnection,
    work: (client: Client, baseDn: string, where: string) => Promise<T | DirectoryFailure>,
  ): Promise<T | DirectoryFailure> {
    // An empty password is an unauthenticated bind (RFC 4513 5.1.2), which many directories accept.
    if (!connection.username || !connection.password)
      return failure('the directory credentials need a username and a password');
    const baseDn = baseDnOf(connection.domainName);
    const unanswered: string[] = [];
    for (const address of connection.domainControllers) {
      const hostAndPort = `${isIPv6(address) ? `[${address}]` : address}:${this.port}`;
      const where = `the directory at ${hostAndPort}`;
      const client = new Client({
        url: `ldap://${hostAndPort}`,
        connectTimeout: CONNECT_TIMEOUT_MS,
        timeout: OPERATION_TIMEOUT_MS,
      });
      try {
        await this.bind(client, connection, baseDn, where);
        return await work(client, baseDn, where);
      } catch (error) {
        if (error instanceof DirectoryRefusal) return failure(error.message);
        if (!(error instanceof Unanswered)) throw error;
        unanswered.push(error.message);
      } finally {
        await client.unbind().catch(() => undefined);
      }
    }
    return failure(unanswered.join('; ') || 'the identity provider names no domain controller');
  }

  /** As the user principal name; as CN=<username>,CN=Users,<base DN> where that form is refused. */
  private async bind(client: Client, connection: DirectoryConnection, baseDn: string, where: string): Promise<void> {
    const { username, password } = connection;
    const userPrincipalName = `${username}@${connection.domainName}`;
    try {
      await this.attempt(where, `bind as ${userPrincipalName}`, () => client.bind(userPrincipalName, password));
    } catch (error) {
      if (!(error instanceof DirectoryRefusal) || error.code !== INVALID_DN_SYNTAX) throw error;
      const distinguishedName = `${new DN().addPairRDN('CN', username).addPairRDN('CN', 'Users')},${baseDn}`;
      await this.attempt(where, `bind as ${distinguishedName}`, () => client.bind(distinguishedName, password));
    }
  }

  /**
   * Runs one LDAP operation: an LDAP error becomes a DirectoryRefusal saying what `doing` was
   * refused and why; anything else means the controller did not answer (Unanswered).
   */
  private async attempt<R>(where: string, doing: string, operation: () => Promise<R>): Promise<R> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ResultCodeError) throw new DirectoryRefusal(where, doing, error);
      throw new Unanswered(`${where} did not answer: ${unansweredReason(error)}`);
    }
  }
}

function failure(message: string): DirectoryFailure {
  return { ok: false, message };
}

/** DC=corp,DC=example,DC=com for corp.example.com, as Active Directory names a domain. */
export function baseDnOf(domainName: string): string {
  const dn = new DN();
  for (const label of domainName.split('.')) dn.addPairRDN('DC', label);
  return dn.toString();
}

/**
 * "invalid credentials (LDAP result 49)", with the server's diagnostic when it gave one (Active
 * Directory's says why: "80090308: LdapErr: ... data 52e").
 */
function describeResult(error: ResultCodeError): string {
  // ldapts names the error after the result (InvalidCredentialsError) and ends its message with the code.
  const result = error.name
    .replace(/Error$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  const diagnostic = error.message.replace(/\s*Code: 0x[0-9a-f]+$/i, '').trim();
  return `${result} (LDAP result ${error.code})${diagnostic ? `: ${diagnostic}` : ''}`;
}

function unansweredReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message === 'Connection timeout') return `no connection within ${CONNECT_TIMEOUT_MS / 1000} s`;
  if (/Operation timed out/.test(message)) return `no answer within ${OPERATION_TIMEOUT_MS / 1000} s`;
  return message;
}

/** An attribute's first value as text, whatever case the directory spells its name in. */
function valueOf(entry: Entry, attribute: string): string | undefined {
  const name = Object.keys(entry).find((key) => key.toLowerCase() === attribute.toLowerCase());
  const value = name === undefined ? undefined : entry[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

function userOf(entry: Entry, requested: string): DirectoryUser {
  return {
    distinguishedName: entry.dn,
    username: valueOf(entry, 'sAMAccountName') ?? valueOf(entry, 'uid') ?? requested,
    displayName: valueOf(entry, 'displayName'),
    email: valueOf(entry, 'mail'),
  };
}
