import { Injectable } from '@nestjs/common';
import { Blockers } from '../../shared/blockers';
import type { ProductSubscription } from '../domain/product-subscription';

/**
 * What keeps a user subscribed, checked by the slice that knows: the guide's rule that a Visual
 * Studio or Office user cannot be unsubscribed while associated with an instance belongs to user
 * associations, which adds its check in onModuleInit: `blockers.add(async (subscription) =>
 * [...reasons])`. StopProductSubscription is then refused with ConflictException naming every
 * reason (docs/user-subscriptions.md#product-subscriptions).
 */
@Injectable()
export class UnsubscribeBlockers extends Blockers<ProductSubscription> {}
