import type { CataloguedEvents, GrantEventData } from '@lm/contracts';

/** The grant events: their data is part of @lm/contracts (licensing's license asset groups read them). */
export type GrantEvent = { [T in keyof GrantEventData]: { type: T; data: GrantEventData[T] } }[keyof GrantEventData];

/** Relayed to lm.events.grants.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'grants', GrantEvent>;

export const GRANT_EVENT_TYPES: readonly GrantEvent['type'][] = [
  'GrantCreated',
  'GrantAccepted',
  'GrantRejected',
  'GrantVersionCreated',
  'GrantActivated',
  'GrantDisabled',
  'GrantReplaced',
  'GrantDeleted',
  'GrantDistributed',
  'GrantDistributionFailed',
  'GrantDeletionStarted',
  'GrantTagged',
  'GrantUntagged',
];
