import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, REGION } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { SecretUnavailableError } from '../../secrets/application/secret-values';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { credentialsIn } from '../domain/credentials';
import type { ActiveDirectory } from '../domain/directory';
import type { IdentityProviderRegistration } from '../domain/identity-provider';
import type { DirectoryConnection } from './directory';
import type { IdentityProviderViews } from './identity-provider.views';
import { SECRET_VALUE_READER, type SecretValueReader } from './secret-values';

/** Why a directory cannot be reached with its registration's secret: the message never holds a value. */
export class DirectoryUnreachableError extends Error {}

/**
 * The registrations of an account as the other slices of the service find them (product
 * subscriptions, and later associations and license servers), and the connection to a
 * registration's directory with its secret's credentials.
 */
@Injectable()
export class RegisteredDirectories {
  private readonly db: Kysely<IdentityProviderViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<IdentityProviderViews>,
    @Inject(REGION) private readonly region: string,
    @Inject(SECRET_VALUE_READER) private readonly secrets: SecretValueReader,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  /** The account's registration of the directory for the product, whatever its status. */
  async registration(
    accountId: string,
    directoryId: string,
    product: string,
  ): Promise<IdentityProviderRegistration | undefined> {
    const row = await this.db
      .selectFrom('identity_providers')
      .select('state')
      .where('account_id', '=', accountId)
      .where('region', '=', this.region)
      .where('directory_id', '=', directoryId)
      .where('product', '=', product)
      .executeTakeFirst();
    return row?.state;
  }

  async byArn(accountId: string, arn: string): Promise<IdentityProviderRegistration | undefined> {
    const row = await this.db
      .selectFrom('identity_providers')
      .select('state')
      .where('arn', '=', arn)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row?.state;
  }

  /**
   * A directory the account registered for any product (not failed), by id or, for a self-managed
   * one, by domain name: later registrations reuse its settings and id.
   */
  async known(
    accountId: string,
    by: { directoryId?: string; domainName?: string },
  ): Promise<ActiveDirectory | undefined> {
    let query = this.db
      .selectFrom('identity_providers')
      .select('state')
      .where('account_id', '=', accountId)
      .where('region', '=', this.region)
      .where('status', '!=', 'FAILED');
    if (by.directoryId) query = query.where('directory_id', '=', by.directoryId);
    else if (by.domainName)
      query = query
        .where('directory_id', 'like', 'sd-%')
        .where((eb) => eb(eb.fn('lower', ['domain_name']), '=', by.domainName!.toLowerCase()));
    else return undefined;
    const row = await query.orderBy('created_at').executeTakeFirst();
    return row?.state.directory;
  }

  /** The connection to the registration's directory: its secret read now, its credentials checked. */
  async connectionOf(
    registration: Pick<IdentityProviderRegistration, 'accountId' | 'directory'>,
  ): Promise<DirectoryConnection> {
    const { directory } = registration;
    let value: string;
    try {
      value = await this.secrets.read(registration.accountId, directory.secretId);
    } catch (error) {
      // A secret that gives no value fails what needed it; anything else (the database) is retried.
      if (error instanceof SecretUnavailableError) throw new DirectoryUnreachableError(error.message);
      throw error;
    }
    const credentials = credentialsIn(directory.secretId, value);
    if ('unusable' in credentials) throw new DirectoryUnreachableError(credentials.unusable);
    return { domainName: directory.domainName, domainControllers: directory.addresses, ...credentials };
  }
}
