import type { CataloguedEvents, UserAssociationEventData } from '@lm/contracts';

/** The user association events (their data is part of @lm/contracts: lm.events.user-subscriptions.*). */
export type UserAssociationEvent = {
  [T in keyof UserAssociationEventData]: { type: T; data: UserAssociationEventData[T] };
}[keyof UserAssociationEventData];

type _Published = CataloguedEvents<'user-subscriptions', UserAssociationEvent>;

export const USER_ASSOCIATION_EVENT_TYPES: readonly UserAssociationEvent['type'][] = [
  'UserAssociationRequested',
  'UserAssociated',
  'UserAssociationFailed',
  'UserDisassociated',
  'InstanceUserTagged',
  'InstanceUserUntagged',
];
