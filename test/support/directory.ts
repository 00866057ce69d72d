import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './system';

/**
 * A real directory server for the tests of user-based subscriptions: OpenLDAP's slapd from
 * Debian's `slapd` package (with `ldap-utils`, which this file drives it with), as `.ci/run`
 * installs them.
 *
 * Why slapd and not Samba as an Active Directory domain controller: License Manager only binds
 * to the directory and searches it over LDAP, which slapd serves as AD does, and a private slapd
 * starts in a fraction of a second as any user, on any port, from a configuration file of its
 * own; a Samba DC provisions a whole domain (Kerberos, DNS, SYSVOL) and wants root and the
 * machine's realm. What differs from AD, and how this directory maps to it:
 * - The tree is AD's: the base DN comes from the DNS domain name (corp.example.com →
 *   DC=corp,DC=example,DC=com), users live in the container CN=Users, and the domain's
 *   administrator is CN=Administrator,CN=Users,<base DN>.
 * - AD's schema for users (objectClass user, sAMAccountName, userPrincipalName) is not OpenLDAP's:
 *   active-directory.schema beside this file adds that part (its OIDs are in a private arc, see
 *   there). Users made with `schema: 'uid'` are plain inetOrgPerson entries with a uid, in
 *   OU=People, as a directory without AD's schema holds them.
 * - AD accepts a bind by user principal name (Administrator@corp.example.com); slapd refuses that
 *   form (invalid DN syntax) and takes the distinguished name only: exactly the directory that
 *   License Manager's fallback to CN=<username>,CN=Users,<base DN> is for.
 * - As in AD, any authenticated user reads the directory, anonymous users read nothing, and the
 *   administrator may change anything (the helpers add and remove users as the administrator).
 *
 * Each directory is private: its own temporary configuration and data directory, a free port on
 * 127.0.0.1, running as the current user (root in CI, which slapd accepts without -u/-g); the
 * system's slapd, if any, is never touched. `stop` and `start` take it down and bring it back on
 * the same port with the same data; `destroy` (or the test process exiting) removes it all.
 */

const SCHEMA_DIR = '/etc/ldap/schema';
const AD_SCHEMA = join(__dirname, 'active-directory.schema');
const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const INSTALL_HINT =
  'the test directory needs OpenLDAP: DEBIAN_FRONTEND=noninteractive apt-get install -y slapd ldap-utils';
/** How long slapd has to answer a bind after it is started, and to exit after SIGTERM. */
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

export const DOMAIN_NAME = 'corp.example.com';

/** The domain's administrator: what an identity provider's credentials secret holds. */
export const ADMINISTRATOR = { username: 'Administrator', password: 'Adm1n-Pa55word!' };

export interface DirectoryUser {
  username: string;
  /**
   * 'active-directory' (the default): objectClass user with sAMAccountName and userPrincipalName, in
   * CN=Users, named after its display name as AD names users. 'uid': an inetOrgPerson with a uid
   * only, in OU=People, as a directory without AD's schema holds it.
   */
  schema?: 'active-directory' | 'uid';
  displayName?: string;
  mail?: string;
  /** Without one the user cannot bind; the directory knows it all the same. */
  password?: string;
}

/** The users every directory starts with (besides the administrator). */
export const KNOWN_USERS: readonly DirectoryUser[] = [
  { username: 'alice', displayName: 'Alice Liddell', mail: 'alice@corp.example.com' },
  { username: 'bob', displayName: 'Bob Marley' },
  { username: 'carol', schema: 'uid', displayName: 'Carol Jones', mail: 'carol@corp.example.com' },
  { username: 'dave', schema: 'uid' },
];

export interface TestDirectory {
  domainName: string;
  /** DC=corp,DC=example,DC=com for corp.example.com. */
  baseDn: string;
  host: string;
  port: number;
  /** ldap://127.0.0.1:<port> */
  url: string;
  administrator: { username: string; password: string; dn: string; userPrincipalName: string };
  /** The distinguished name a user has (or would have) here. */
  dnOf(user: DirectoryUser): string;
  /** Adds the user while the directory runs, as an administrator would; resolves with its DN. */
  addUser(user: DirectoryUser): Promise<string>;
  /** Removes a user that this directory was given (a known user or one added). */
  removeUser(username: string): Promise<void>;
  /** Takes the directory down (SIGTERM; its data stays). */
  stop(): Promise<void>;
  /** Brings it back on the same port with the same data, once it answers a bind again. */
  start(): Promise<void>;
  /** Stops it and deletes its configuration and data. */
  destroy(): Promise<void>;
}

const run = promisify(execFile);

/** DC=corp,DC=example,DC=com for corp.example.com, as AD derives a domain's naming context. */
export function baseDnOf(domainName: string): string {
  return domainName
    .split('.')
    .map((label) => `DC=${label}`)
    .join(',');
}

/** An attribute value inside a DN, escaped as RFC 4514 says. */
function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

/** One LDIF line: the value as it is when RFC 2849 allows, else base64 (`name:: ...`). */
function ldifLine(name: string, value: string): string {
  return /^[\w.@=,+\\-]([\w .@=,+\\-]*[\w.@=,+\\-])?$/.test(value)
    ? `${name}: ${value}`
    : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

function ldifEntry(dn: string, attributes: [string, string | undefined][]): string {
  const lines = [ldifLine('dn', dn)];
  for (const [name, value] of attributes) if (value !== undefined) lines.push(ldifLine(name, value));
  return `${lines.join('\n')}\n`;
}

function slapdConf(dir: string, baseDn: string, administratorDn: string): string {
  return `# A private slapd for tests (test/support/directory.ts).
include ${SCHEMA_DIR}/core.schema
include ${SCHEMA_DIR}/cosine.schema
include ${SCHEMA_DIR}/inetorgperson.schema
include ${AD_SCHEMA}
pidfile ${join(dir, 'slapd.pid')}
argsfile ${join(dir, 'slapd.args')}
modulepath /usr/lib/ldap
moduleload back_mdb

database mdb
suffix "${baseDn}"
directory ${join(dir, 'data')}
index objectClass,sAMAccountName,uid eq
access to attrs=userPassword
  by dn.exact="${administratorDn}" manage
  by anonymous auth
  by * none
access to *
  by dn.exact="${administratorDn}" manage
  by users read
  by * none
`;
}

/**
 * Starts a private slapd with the domain's tree (base, CN=Users, OU=People), the administrator
 * and KNOWN_USERS; resolves once the administrator can bind.
 */
export async function startDirectory(domainName = DOMAIN_NAME): Promise<TestDirectory> {
  const baseDn = baseDnOf(domainName);
  const host = '127.0.0.1';
  const port = await freePort();
  const url = `ldap://${host}:${port}`;
  const dnOf = (user: DirectoryUser) =>
    user.schema === 'uid'
      ? `UID=${escapeDnValue(user.username)},OU=People,${baseDn}`
      : `CN=${escapeDnValue(user.displayName ?? user.username)},CN=Users,${baseDn}`;
  const administratorDn = dnOf({ username: ADMINISTRATOR.username });
  const administrator = { ...ADMINISTRATOR, dn: administratorDn, userPrincipalName: `Administrator@${domainName}` };

  const userEntry = (user: DirectoryUser) => {
    const common: [string, string | undefined][] = [
      ['displayName', user.displayName],
      ['mail', user.mail],
      ['userPassword', user.password],
    ];
    // OpenLDAP's person, which both classes derive from, requires a surname (AD's does not): the name's last word.
    const sn = (user.displayName ?? user.username).split(' ').at(-1);
    if (user.schema === 'uid')
      return ldifEntry(dnOf(user), [
        ['objectClass', 'inetOrgPerson'],
        ['uid', user.username],
        ['cn', user.displayName ?? user.username],
        ['sn', sn],
        ...common,
      ]);
    return ldifEntry(dnOf(user), [
      ['objectClass', 'user'],
      ['cn', user.displayName ?? user.username],
      ['sn', sn],
      ['sAMAccountName', user.username],
      ['userPrincipalName', `${user.username}@${domainName}`],
      ...common,
    ]);
  };

  const dir = mkdtempSync(join(tmpdir(), 'lm-directory-'));
  const removeFiles = () => rmSync(dir, { recursive: true, force: true });
  const config = join(dir, 'slapd.conf');
  // The administrator's password in a file (ldap-utils' -y), never on a command line.
  const passwordFile = join(dir, 'administrator.password');
  const log = join(dir, 'slapd.log');
  const users = new Map<string, DirectoryUser>(KNOWN_USERS.map((user) => [user.username, user]));
  try {
    mkdirSync(join(dir, 'data'));
    writeFileSync(config, slapdConf(dir, baseDn, administratorDn));
    writeFileSync(passwordFile, ADMINISTRATOR.password, { mode: 0o600 });
    const tree = [
      ldifEntry(baseDn, [
        ['objectClass', 'domain'],
        ['dc', domainName.split('.')[0]],
      ]),
      ldifEntry(`CN=Users,${baseDn}`, [
        ['objectClass', 'container'],
        ['cn', 'Users'],
      ]),
      ldifEntry(`OU=People,${baseDn}`, [
        ['objectClass', 'organizationalUnit'],
        ['ou', 'People'],
      ]),
      userEntry(ADMINISTRATOR),
      ...KNOWN_USERS.map(userEntry),
    ];
    writeFileSync(join(dir, 'tree.ldif'), tree.join('\n'));
    await run(SLAPADD, ['-q', '-f', config, '-l', join(dir, 'tree.ldif')]).catch((error) => {
      throw new Error(error.code === 'ENOENT' ? INSTALL_HINT : `slapadd failed: ${error.stderr || error.message}`);
    });
  } catch (error) {
    removeFiles();
    throw error;
  }

  let slapd: ChildProcess | undefined;
  // The last resort when the test process exits without destroy(): no slapd outlives it.
  const onExit = () => {
    slapd?.kill('SIGKILL');
    removeFiles();
  };
  process.once('exit', onExit);

  const ldapUtil = (command: string, args: string[], input?: string) => {
    const child = run(command, ['-x', '-H', url, '-D', administratorDn, '-y', passwordFile, ...args], {
      timeout: 10_000,
    });
    if (input !== undefined) child.child.stdin!.end(input);
    return child.catch((error) => {
      throw new Error(
        error.code === 'ENOENT'
          ? INSTALL_HINT
          : `${command} ${args.join(' ')} failed: ${(error.stderr || error.message).trim()}`,
      );
    });
  };

  const start = async () => {
    if (slapd) return;
    // -d none: in the foreground, logging only errors and its start and stop (to the log file).
    const output = openSync(log, 'a');
    const child = spawn(SLAPD, ['-f', config, '-h', `${url}/`, '-d', 'none'], {
      stdio: ['ignore', output, output],
    });
    closeSync(output);
    slapd = child;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => {
      if (slapd === child) slapd = undefined;
    });
    const spawnError = new Promise<never>((_, reject) =>
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(error.code === 'ENOENT' ? INSTALL_HINT : error.message)),
      ),
    );
    // Only the start waits for it: an error after that must not go unhandled.
    spawnError.catch(() => undefined);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const outcome = await Promise.race([
        ldapUtil('ldapwhoami', ['-o', 'nettimeout=1']).then(
          () => 'answers' as const,
          (error: Error) => (error.message === INSTALL_HINT ? Promise.reject(error) : ('not yet' as const)),
        ),
        exited.then(() => 'exited' as const),
        spawnError,
      ]);
      if (outcome === 'answers') return;
      if (outcome === 'exited' || Date.now() > deadline) {
        child.kill('SIGKILL');
        const tail = readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n');
        throw new Error(
          `slapd on ${url} ${outcome === 'exited' ? 'exited' : `did not answer within ${START_TIMEOUT_MS / 1000} s`}: ${tail}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const stop = async () => {
    const child = slapd;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await start();
  } catch (error) {
    process.off('exit', onExit);
    removeFiles();
    throw error;
  }

  return {
    domainName,
    baseDn,
    host,
    port,
    url,
    administrator,
    dnOf,
    start,
    stop,
    addUser: async (user) => {
      await ldapUtil('ldapadd', [], userEntry(user));
      users.set(user.username, user);
      return dnOf(user);
    },
    removeUser: async (username) => {
      const user = users.get(username);
      if (!user) throw new Error(`${username} is not a user of this test directory`);
      await ldapUtil('ldapdelete', [dnOf(user)]);
      users.delete(username);
    },
    destroy: async () => {
      await stop();
      process.off('exit', onExit);
      removeFiles();
    },
  };
}
