import { tagMapWithout } from '@lm/contracts';
import { createHash } from 'node:crypto';
import type { UserSubscriptions } from '@lm/api-model';
import { statusMachine } from '../../shared/status-machine';
import { RDS_SAL, type Product } from '../../shared/products';
import type { UserAssociationEvent } from './events';

/** The console's words: Associating, Associated, Failed, Disassociated. */
export type AssociationStatus = 'ASSOCIATING' | 'ASSOCIATED' | 'FAILED' | 'DISASSOCIATED';

/**
 * A user's association with an instance: ASSOCIATING once the request is taken (the user
 * subscribed to a product the instance provides, room under the 25-instance quota), ASSOCIATED
 * when its step finds the instance and the subscription still there, FAILED when it does not;
 * DISASSOCIATED when asked, or when the instance is terminated. A user disassociated or failed
 * may be associated again (a new period on the same InstanceUserArn).
 */
export const ASSOCIATION_STATUSES = statusMachine<AssociationStatus>(['ASSOCIATING'], {
  ASSOCIATING: ['ASSOCIATED', 'FAILED', 'DISASSOCIATED'],
  ASSOCIATED: ['DISASSOCIATED'],
  FAILED: ['ASSOCIATING'],
  DISASSOCIATED: ['ASSOCIATING'],
});

/** Statuses in which the user holds the instance: what the 25-instance quota and the unsubscribe rule count. */
export const LIVE_STATUSES: readonly AssociationStatus[] = ['ASSOCIATING', 'ASSOCIATED'];

/** At most this many instances per user (the guide; raised through AWS Support there, not here). */
export const INSTANCES_PER_USER = 25;

/**
 * What a user must be subscribed to for an instance: one of the Visual Studio or Office products it
 * provides, or RDS SAL when that is all it provides (the guide: each user needs RDS SAL and "the
 * product they will use"; RDS SAL comes with those products' subscriptions).
 */
export function neededProducts(provided: readonly Product[]): Product[] {
  const products = provided.filter((product) => product !== RDS_SAL);
  return products.length > 0 ? products : [RDS_SAL];
}

/** One user's association with one instance; instants are ISO strings. */
export interface UserAssociation {
  arn: string;
  accountId: string;
  region: string;
  instanceId: string;
  directoryId: string;
  /** As the directory spells it. */
  username: string;
  /** Lower case. */
  domain: string;
  products: Product[];
  identityProviderArns: string[];
  tags: Record<string, string>;
  status: AssociationStatus;
  statusMessage?: string;
  associationDate?: string;
  disassociationDate?: string;
  requestedAt: string;
  updatedAt: string;
}

export interface UserAssociationState {
  association?: UserAssociation;
}

export const initialUserAssociationState = (): UserAssociationState => ({});

export function evolveUserAssociation(state: UserAssociationState, event: UserAssociationEvent): UserAssociationState {
  const { at } = event.data;
  if (event.type === 'UserAssociationRequested') {
    const { arn, accountId, region, instanceId, directoryId, username, domain, identityProviderArns, tags } =
      event.data;
    return {
      association: {
        ...{ arn, accountId, region, instanceId, directoryId, username, domain, identityProviderArns, tags },
        products: event.data.products as Product[],
        status: 'ASSOCIATING',
        requestedAt: at,
        updatedAt: at,
      },
    };
  }
  const association = state.association;
  if (!association) return state;
  const changed = (changes: Partial<UserAssociation>): UserAssociationState => ({
    association: { ...association, ...changes, updatedAt: at },
  });
  switch (event.type) {
    case 'UserAssociated':
      return changed({
        status: 'ASSOCIATED',
        statusMessage: undefined,
        associationDate: at,
        disassociationDate: undefined,
      });
    case 'UserAssociationFailed':
      return changed({ status: 'FAILED', statusMessage: event.data.statusMessage });
    case 'UserDisassociated':
      return changed({ status: 'DISASSOCIATED', statusMessage: event.data.statusMessage, disassociationDate: at });
    case 'InstanceUserTagged':
      return changed({ tags: { ...association.tags, ...event.data.tags } });
    case 'InstanceUserUntagged':
      return changed({ tags: tagMapWithout(association.tags, event.data.tagKeys) });
  }
}

/** Who the user is: one per account, directory, domain and logon name (compared without case, as Active Directory does). */
export interface UserKey {
  accountId: string;
  directoryId: string;
  domain: string;
  username: string;
}

export const userKeyOf = (key: UserKey) =>
  [key.accountId, key.directoryId, key.domain.toLowerCase(), key.username.toLowerCase()].join('\n');

/**
 * The id of a user's association with an instance, the same for every request that names them:
 * so that concurrent requests for one user and instance meet on one stream.
 */
export function instanceUserId(key: UserKey & { instanceId: string }): string {
  return createHash('sha256')
    .update(`${userKeyOf(key)}\n${key.instanceId}`)
    .digest('hex')
    .slice(0, 32);
}

export const userAssociationStream = (id: string) => `instance-user-${id}`;

/** The association as the API's InstanceUserSummary tells it. */
export function toInstanceUserSummary(association: UserAssociation): UserSubscriptions.InstanceUserSummary {
  return {
    Username: association.username,
    InstanceId: association.instanceId,
    IdentityProvider: { ActiveDirectoryIdentityProvider: { DirectoryId: association.directoryId } },
    Status: association.status,
    InstanceUserArn: association.arn,
    StatusMessage: association.statusMessage,
    Domain: association.domain,
    AssociationDate: association.associationDate,
    DisassociationDate: association.disassociationDate,
  };
}
