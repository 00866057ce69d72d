/**
 * What the identity providers slice asks of an Active Directory: that it answers with the
 * registered credentials (registration), and whether a user is in it (subscriptions). The adapter
 * speaks LDAP to the domain controllers (infra/ldap-directory.ts).
 */

/** How an identity provider's directory is reached and bound to. */
export interface DirectoryConnection {
  /** The domain's DNS name (corp.example.com): the base DN and the user principal names derive from it. */
  domainName: string;
  /** DomainIpv4List (or DomainIpv6List): one or two domain controllers, tried in turn. */
  domainControllers: readonly string[];
  /** The bind credentials, from the identity provider's secret (username and password keys). */
  username: string;
  password: string;
}

/** A user as the directory holds it. */
export interface DirectoryUser {
  distinguishedName: string;
  /** sAMAccountName, or uid in a directory without Active Directory's schema, spelled as the directory spells it. */
  username: string;
  displayName?: string;
  email?: string;
}

/** The directory could not be asked, or refused: `message` says which domain controller answered what. */
export interface DirectoryFailure {
  ok: false;
  message: string;
}

export type DirectoryVerification = { ok: true } | DirectoryFailure;

/** `user` is undefined when the directory answered and holds no such user. */
export type DirectoryUserLookup = { ok: true; user: DirectoryUser | undefined } | DirectoryFailure;

export interface Directory {
  /** Binds with the connection's credentials and reads the domain's base entry. */
  verify(connection: DirectoryConnection): Promise<DirectoryVerification>;
  /** Binds and looks the user up by logon name, as Active Directory finds one. */
  findUser(connection: DirectoryConnection, username: string): Promise<DirectoryUserLookup>;
}

export const DIRECTORY = Symbol('Directory');
