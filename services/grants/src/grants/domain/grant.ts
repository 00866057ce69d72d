import { withoutTags, withTags, type GrantRecord } from '@lm/contracts';
import type { LicenseManager } from '@lm/api-model';
import type { GrantEvent } from './events';

/** One version of a grant, exactly as GetGrant answers it. */
export type GrantDocument = LicenseManager.Grant;

/** A grant: what it was made as (the contract's GrantRecord, its document the current version) and its requests' tokens. */
export interface GrantAggregate extends GrantRecord {
  /** The ClientTokens of the requests that made versions, for idempotent retries. */
  clientTokens: Record<string, { requestHash: string; version: string }>;
}

export type GrantState = { status: 'absent' } | { status: 'present'; aggregate: GrantAggregate };

export const nextVersion = (grant: GrantDocument) => String(Number(grant.Version) + 1);

export const initialGrantState = (): GrantState => ({ status: 'absent' });

/** What an event makes of the grant (each event but a creation carries the version it makes). */
function changed(
  aggregate: GrantAggregate,
  event: Exclude<GrantEvent, { type: 'GrantCreated' | 'GrantTagged' | 'GrantUntagged' }>,
): GrantAggregate {
  const grant = { ...aggregate.grant, Version: event.data.version };
  switch (event.type) {
    case 'GrantAccepted':
      // The guide's status table: accepted but not activated is DISABLED.
      return { ...aggregate, grant: { ...grant, GrantStatus: 'DISABLED', StatusReason: event.data.statusReason } };
    case 'GrantRejected':
      return { ...aggregate, grant: { ...grant, GrantStatus: 'REJECTED', StatusReason: event.data.statusReason } };
    case 'GrantVersionCreated': {
      const { grantName, grantedOperations, statusReason, options, clientToken, requestHash } = event.data;
      return {
        ...aggregate,
        grant: {
          ...grant,
          GrantName: grantName,
          GrantedOperations: grantedOperations,
          StatusReason: statusReason,
          Options: options,
        },
        clientTokens: { ...aggregate.clientTokens, [clientToken]: { requestHash, version: event.data.version } },
      };
    }
    case 'GrantActivated':
      return { ...aggregate, grant: { ...grant, GrantStatus: 'ACTIVE' } };
    case 'GrantDisabled':
      return { ...aggregate, grant: { ...grant, GrantStatus: 'DISABLED' } };
    case 'GrantReplaced':
      return {
        ...aggregate,
        grant: { ...grant, GrantStatus: 'DISABLED', StatusReason: `Replaced by ${event.data.byGrantArn}` },
      };
    case 'GrantDeleted':
      return { ...aggregate, grant: { ...grant, GrantStatus: 'DELETED', StatusReason: event.data.statusReason } };
    case 'GrantDistributed':
      return { ...aggregate, grant: { ...grant, GrantStatus: 'WORKFLOW_COMPLETED', StatusReason: undefined } };
    case 'GrantDistributionFailed':
      return {
        ...aggregate,
        grant: { ...grant, GrantStatus: 'FAILED_WORKFLOW', StatusReason: event.data.statusReason },
      };
    case 'GrantDeletionStarted':
      return {
        ...aggregate,
        grant: { ...grant, GrantStatus: 'PENDING_DELETE', StatusReason: event.data.statusReason },
      };
  }
}

export function evolveGrant(state: GrantState, event: GrantEvent): GrantState {
  if (event.type === 'GrantCreated') {
    const { clientToken, requestHash, ...aggregate } = event.data;
    return {
      status: 'present',
      aggregate: { ...aggregate, clientTokens: { [clientToken]: { requestHash, version: aggregate.grant.Version } } },
    };
  }
  if (state.status !== 'present') return state;
  const { aggregate } = state;
  if (event.type === 'GrantTagged')
    return { status: 'present', aggregate: { ...aggregate, tags: withTags(aggregate.tags, event.data.tags) } };
  if (event.type === 'GrantUntagged')
    return { status: 'present', aggregate: { ...aggregate, tags: withoutTags(aggregate.tags, event.data.tagKeys) } };
  return { status: 'present', aggregate: changed(aggregate, event) };
}
