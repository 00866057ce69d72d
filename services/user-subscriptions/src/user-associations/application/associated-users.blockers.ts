import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { DeregistrationBlockers } from '../../identity-providers/application/deregistration-blockers';
import { UnsubscribeBlockers } from '../../product-subscriptions/application/unsubscribe-blockers';
import { RDS_SAL } from '../../shared/products';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { LIVE_STATUSES } from '../domain/association';
import type { UserAssociationViews } from './association.views';

/** Instances named in a refusal, at most: the count says how many there are. */
const NAMED = 5;

/**
 * The guide's rules this slice owns in other slices' operations: an Office or Visual Studio user
 * cannot be unsubscribed while associated with an instance that gives them the product ("you must
 * first disassociate the Active Directory user from all instances"), and a directory is not
 * deregistered while its users are associated with instances providing the registration's product.
 */
@Injectable()
export class AssociatedUsersBlockers implements OnModuleInit {
  private readonly db: Kysely<UserAssociationViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<UserAssociationViews>,
    private readonly unsubscribe: UnsubscribeBlockers,
    private readonly deregistration: DeregistrationBlockers,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  onModuleInit(): void {
    this.unsubscribe.add(async (subscription) => {
      if (subscription.product === RDS_SAL) return [];
      const rows = await this.live(subscription.accountId, subscription.directoryId, subscription.product)
        .select('instance_id')
        .where('domain', '=', subscription.domain.toLowerCase())
        .where((eb) => eb(eb.fn('lower', ['username']), '=', subscription.username.toLowerCase()))
        .orderBy('instance_id')
        .execute();
      if (rows.length === 0) return [];
      const named = rows.slice(0, NAMED).map((row) => row.instance_id);
      return [
        `they are associated with ${rows.length} instance${rows.length === 1 ? '' : 's'} providing it (${named.join(', ')}${rows.length > NAMED ? ', ...' : ''}): disassociate them first`,
      ];
    });
    this.deregistration.add(async (registration) => {
      const { count } = await this.live(
        registration.accountId,
        registration.directory.directoryId,
        registration.product,
      )
        .select(sql<string>`count(distinct (lower(username), domain))`.as('count'))
        .executeTakeFirstOrThrow();
      const users = Number(count);
      return users === 0
        ? []
        : [
            `${users} user${users === 1 ? ' is' : 's are'} still associated with instances providing ${registration.product} through it`,
          ];
    });
  }

  /** The live associations of a directory's users that give them `product`. */
  private live(accountId: string, directoryId: string, product: string) {
    return this.db
      .selectFrom('user_associations')
      .where('account_id', '=', accountId)
      .where('directory_id', '=', directoryId)
      .where('status', 'in', LIVE_STATUSES)
      .where(sql<boolean>`products @> jsonb_build_array(${product}::text)`);
  }
}
