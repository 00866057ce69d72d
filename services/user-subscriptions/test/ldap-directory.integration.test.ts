import { createServer, type Server, type Socket } from 'node:net';
import { Client, InvalidDNSyntaxError } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMINISTRATOR,
  type DirectoryUser,
  KNOWN_USERS,
  startDirectory,
  type TestDirectory,
} from '../../../test/support/directory';
import { freePort } from '../../../test/support/system';
import type { DirectoryConnection } from '../src/identity-providers/application/directory';
import { type LdapDirectory, ldapDirectory } from '../src/identity-providers/infra/ldap-directory';

/**
 * The LDAP adapter against a real directory server: a private OpenLDAP slapd with an Active
 * Directory-like tree (test/support/directory.ts), users added and removed while it runs, taken
 * down and brought back.
 */

let directory: TestDirectory;
let ldap: LdapDirectory;

beforeAll(async () => {
  directory = await startDirectory();
  ldap = ldapDirectory({ directoryLdapPort: directory.port });
});

afterAll(() => directory?.destroy());

const administratorConnection = (changes: Partial<DirectoryConnection> = {}): DirectoryConnection => ({
  domainName: directory.domainName,
  domainControllers: [directory.host],
  username: ADMINISTRATOR.username,
  password: ADMINISTRATOR.password,
  ...changes,
});

const known = (username: string): DirectoryUser => KNOWN_USERS.find((user) => user.username === username)!;

/** slapd spells the attribute types of the DNs it returns its own way (cn=, dc=): compare without case. */
const sameDn = (dn: string | undefined) => dn?.toLowerCase();

async function lookUp(username: string) {
  const lookup = await ldap.findUser(administratorConnection(), username);
  if (!lookup.ok) throw new Error(`the lookup of ${username} failed: ${lookup.message}`);
  return lookup.user;
}

describe('binding', () => {
  it('binds as CN=<username>,CN=Users,<base DN> where the directory refuses the user principal name', async () => {
    // slapd, not being Active Directory, refuses the UPN form: only the fallback can bind here.
    const client = new Client({ url: directory.url });
    await expect(client.bind(directory.administrator.userPrincipalName, ADMINISTRATOR.password)).rejects.toThrow(
      InvalidDNSyntaxError,
    );
    await client.unbind();

    expect(await ldap.verify(administratorConnection())).toEqual({ ok: true });
  });

  it('a wrong password fails with the LDAP error, invalid credentials, and no password in the message', async () => {
    const outcome = await ldap.verify(administratorConnection({ password: 'not-the-password' }));

    expect(outcome.ok).toBe(false);
    const { message } = outcome as { message: string };
    expect(message).toContain(`the directory at 127.0.0.1:${directory.port} refused to bind as`);
    expect(message).toContain('invalid credentials (LDAP result 49)');
    expect(message).not.toContain('not-the-password');
    expect(message).not.toContain(ADMINISTRATOR.password);
  });

  it('an empty password is refused before any bind: LDAP would take it as an unauthenticated bind', async () => {
    expect(await ldap.verify(administratorConnection({ password: '' }))).toEqual({
      ok: false,
      message: 'the directory credentials need a username and a password',
    });
  });

  it('a domain name the directory does not hold fails with the LDAP error', async () => {
    const outcome = await ldap.verify(administratorConnection({ domainName: 'other.example.com' }));

    expect(outcome).toMatchObject({
      ok: false,
      message: expect.stringContaining('CN=Users,DC=other,DC=example,DC=com: invalid credentials (LDAP result 49)'),
    });
  });
});

describe('domain controllers that do not answer', () => {
  it('a closed port fails at once, naming the address', async () => {
    const closed = ldapDirectory({ directoryLdapPort: await freePort() });

    const outcome = await closed.verify(administratorConnection());

    expect(outcome).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^the directory at 127\.0\.0\.1:\d+ did not answer: connect ECONNREFUSED/),
    });
  });

  it('an address where no directory is fails with a clear message, and so does each of two', async () => {
    // TEST-NET-1 (RFC 5737) is never routed: refused or unanswered, depending on the network.
    const outcome = await ldap.findUser(
      administratorConnection({ domainControllers: ['192.0.2.1', '192.0.2.2'] }),
      'alice',
    );

    expect(outcome.ok).toBe(false);
    expect((outcome as { message: string }).message).toMatch(
      /^the directory at 192\.0\.2\.1:\d+ did not answer: .+; the directory at 192\.0\.2\.2:\d+ did not answer: .+$/,
    );
  });

  it('a directory that takes the connection and never answers fails within the operation timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const outcome = await ldapDirectory({ directoryLdapPort: port }).verify(administratorConnection());

      expect(outcome).toEqual({
        ok: false,
        message: `the directory at 127.0.0.1:${port} did not answer: no answer within 5 s`,
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('the second domain controller is asked when the first does not answer', async () => {
    const outcome = await ldap.verify(administratorConnection({ domainControllers: ['192.0.2.1', directory.host] }));

    expect(outcome).toEqual({ ok: true });
  });
});

describe('finding users', () => {
  it('finds a user of the Active Directory schema by sAMAccountName, in any case', async () => {
    const alice = known('alice');

    const user = await lookUp('ALICE');

    expect(user).toMatchObject({ username: 'alice', displayName: 'Alice Liddell', email: 'alice@corp.example.com' });
    expect(sameDn(user?.distinguishedName)).toBe(sameDn(directory.dnOf(alice)));
  });

  it('finds a user that has only inetOrgPerson and a uid', async () => {
    const user = await lookUp('carol');

    expect(user).toMatchObject({ username: 'carol', displayName: 'Carol Jones', email: 'carol@corp.example.com' });
    expect(sameDn(user?.distinguishedName)).toBe(sameDn(directory.dnOf(known('carol'))));
  });

  it('a user without display name or email is found without them', async () => {
    const user = await lookUp('dave');

    expect(user).toEqual({ distinguishedName: expect.any(String), username: 'dave' });
  });

  it('an unknown user is not found', async () => {
    expect(await ldap.findUser(administratorConnection(), 'mallory')).toEqual({ ok: true, user: undefined });
  });

  it('users added while the directory runs are found, and no longer once removed', async () => {
    const erin: DirectoryUser = { username: 'erin', displayName: 'Erin Hunter' };
    const frank: DirectoryUser = { username: 'frank', schema: 'uid' };
    await directory.addUser(erin);
    await directory.addUser(frank);

    expect(await lookUp('erin')).toMatchObject({ username: 'erin', displayName: 'Erin Hunter' });
    expect(await lookUp('frank')).toMatchObject({ username: 'frank' });

    await directory.removeUser('erin');
    await directory.removeUser('frank');

    expect(await lookUp('erin')).toBeUndefined();
    expect(await lookUp('frank')).toBeUndefined();
    expect(await lookUp('alice')).toMatchObject({ username: 'alice' });
  });

  it('filter syntax in a username is a value: it matches no other user, and the user it spells exactly', async () => {
    for (const injection of ['*', 'a*', '*)(uid=*', 'alice)(|(sAMAccountName=*', 'x)(objectClass=*', '\\2a'])
      expect(await lookUp(injection), injection).toBeUndefined();

    const oddlyNamed: DirectoryUser = { username: 'o*b)(c\\d', schema: 'uid' };
    await directory.addUser(oddlyNamed);
    try {
      expect(await lookUp('o*b)(c\\d')).toMatchObject({ username: 'o*b)(c\\d' });
      expect(await lookUp('o*')).toBeUndefined();
    } finally {
      await directory.removeUser(oddlyNamed.username);
    }
  });
});

describe('a directory that goes down', () => {
  it('fails with a clear message while it is down and works again once it is back, with its data', async () => {
    await directory.addUser({ username: 'grace', displayName: 'Grace Hopper' });
    await directory.stop();
    try {
      const down = `the directory at 127.0.0.1:${directory.port} did not answer: connect ECONNREFUSED`;
      expect(await ldap.verify(administratorConnection())).toMatchObject({
        ok: false,
        message: expect.stringContaining(down),
      });
      expect(await ldap.findUser(administratorConnection(), 'grace')).toMatchObject({
        ok: false,
        message: expect.stringContaining(down),
      });
    } finally {
      await directory.start();
    }

    expect(await ldap.verify(administratorConnection())).toEqual({ ok: true });
    expect(await lookUp('grace')).toMatchObject({ username: 'grace', displayName: 'Grace Hopper' });
    await directory.removeUser('grace');
  });
});
