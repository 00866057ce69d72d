import { Injectable } from '@nestjs/common';
import {
  assertCataloguedVersion,
  type DomainEventMessage,
  type GrantEventMessage,
  type GrantEventType,
} from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { GRANT_STATUS_AFTER } from '../domain/received-licences';
import { LicenceHolding, type GrantFacts } from './licence-holding';

const GRANT_EVENTS = new Set(['GrantCreated', ...Object.keys(GRANT_STATUS_AFTER)]);

/** A grant event that says who a grant is for or changes its status, at the schema version this consumer reads. */
function grantEventOf(event: DomainEventMessage): GrantEventMessage | undefined {
  if (event.service !== 'grants' || !GRANT_EVENTS.has(event.type)) return undefined;
  assertCataloguedVersion(event);
  return event as unknown as GrantEventMessage;
}

/** What a grant event says of its grant, at its stream version. */
function factsOf(event: GrantEventMessage): GrantFacts {
  if (event.type === 'GrantCreated') {
    const { grant, principal } = event.data;
    return {
      grantArn: grant.GrantArn,
      licenseArn: grant.LicenseArn,
      parentArn: grant.ParentArn,
      granteeAccountId: principal.kind === 'account' ? principal.accountId : undefined,
      status: grant.GrantStatus,
      statusVersion: event.streamVersion,
    };
  }
  const data = event.data as { grantArn: string };
  return {
    grantArn: data.grantArn,
    status: GRANT_STATUS_AFTER[event.type as GrantEventType],
    statusVersion: event.streamVersion,
  };
}

/**
 * Follows the grants service's grant events (durable consumer 'licensing-asset-group-grants', which
 * reads their history from the start): keeps each grant's account, parent and status, and lets its
 * licence join or leave the groups of the account it is to as it becomes ACTIVE or stops being so
 * (accepted but not activated, deactivated, replaced, rejected, deleted; its parent likewise).
 * Events may come in any order, within a grant's stream or across streams: a grant's status
 * follows the latest of its stream, and a licence not known yet is evaluated when it comes.
 */
@Injectable()
export class GrantsConsumer implements EventConsumer {
  readonly eventTypes = [...GRANT_EVENTS];

  async handle(message: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const event = grantEventOf(message);
    if (!event) return;
    const holding = new LicenceHolding(trx);
    const licenseArn = await holding.grantRecorded(factsOf(event));
    if (!licenseArn) return;
    await holding.lock(licenseArn);
    await holding.evaluate(licenseArn, new Date(event.recordedAt));
  }
}
