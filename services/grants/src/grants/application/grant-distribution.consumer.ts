import { Inject, Injectable } from '@nestjs/common';
import {
  handleCommand,
  handleMultiStreamCommand,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@lm/event-store';
import { CLOCK, type Clock, DATABASE, EVENT_STORE } from '@lm/service-kit';
import { AwsError } from '@lm/contracts';
import type { Kysely } from 'kysely';
import { derivedGrantId, grantArn, parseGrantArn } from '../domain/arn';
import type { GrantCommand } from '../domain/commands';
import { decideGrant, grantDecider, grantStream } from '../domain/decide';
import { subGrantClientToken } from '../domain/distribution';
import type { GrantEvent } from '../domain/events';
import type { GrantState } from '../domain/grant';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { GrantViews } from './grant.views';
import { grantStates } from './grant-states';

/** The durable name of the workflow's subscription to the grants event store. */
export const GRANT_DISTRIBUTION_SUBSCRIPTION = 'grant-distribution';

/**
 * The distribution workflow of organization and OU grants, run on the service's own events (a
 * durable subscription, at least once). A grant made PENDING_WORKFLOW gets one sub-grant per
 * account it covers, in the append that makes it WORKFLOW_COMPLETED, or fails (FAILED_WORKFLOW);
 * a grant made PENDING_DELETE has its sub-grants recalled in the append that deletes it. Every
 * step decides on the grants' current state, so a replayed event changes nothing.
 */
@Injectable()
export class GrantDistribution {
  private readonly db: Kysely<GrantViews>;
  private readonly states = grantStates();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<GrantViews>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  async handle(events: RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      const event = recorded as unknown as GrantEvent;
      if (event.type === 'GrantCreated' && event.data.grant.GrantStatus === 'PENDING_WORKFLOW')
        await this.distribute(event.data.grant.GrantArn);
      if (event.type === 'GrantDeletionStarted') await this.recall(event.data.grantArn);
    }
  }

  private async distribute(parentArn: string): Promise<void> {
    const parentStream = grantStream(parseGrantArn(parentArn)!.id);
    const { state } = await this.states.load(this.store, parentStream);
    if (state.status !== 'present' || state.aggregate.grant.GrantStatus !== 'PENDING_WORKFLOW') return;
    const { grantorAccountId, coveredAccountIds = [] } = state.aggregate;
    if (coveredAccountIds.length === 0) {
      await this.fail(
        parentStream,
        `${state.aggregate.grant.GranteePrincipalArn} covers no account but the grantor's: there is nobody to distribute to.`,
      );
      return;
    }
    const subGrants = coveredAccountIds.map((accountId) => {
      const id = derivedGrantId(subGrantClientToken(parentArn, accountId));
      return { accountId, arn: grantArn(grantorAccountId, id), stream: grantStream(id) };
    });
    const now = this.clock.now();
    try {
      await handleMultiStreamCommand(
        this.store,
        [parentStream, ...subGrants.map((sub) => sub.stream)].map((name) => ({ name, states: this.states })),
        (states) => {
          const decided = new Map<string, NewEvent[]>();
          const parent = states.get(parentStream) as GrantState;
          if (parent.status !== 'present' || parent.aggregate.grant.GrantStatus !== 'PENDING_WORKFLOW') return decided;
          for (const { accountId, arn, stream } of subGrants) {
            decided.set(
              stream,
              decideGrant(
                { type: 'CreateSubGrant', arn, accountId, parent: parent.aggregate, now },
                states.get(stream) as GrantState,
              ),
            );
          }
          decided.set(
            parentStream,
            decideGrant({ type: 'CompleteDistribution', subGrantArns: subGrants.map((sub) => sub.arn), now }, parent),
          );
          return decided;
        },
      );
    } catch (error) {
      // The grant quota of the licence, enforced in the append, refuses the sub-grants all together.
      if (!(error instanceof AwsError) || error.name !== 'ResourceLimitExceededException') throw error;
      await this.fail(
        parentStream,
        `Distributing to ${subGrants.length} accounts would pass the licence's grant quota: ${error.message}`,
      );
    }
  }

  private async fail(parentStream: string, statusReason: string): Promise<void> {
    const command: GrantCommand = { type: 'FailDistribution', statusReason, now: this.clock.now() };
    await handleCommand(this.store, parentStream, grantDecider, command);
  }

  private async recall(parentArn: string): Promise<void> {
    const parentStream = grantStream(parseGrantArn(parentArn)!.id);
    const subGrants = await this.db
      .selectFrom('grants')
      .select('grant_id')
      .where('parent_arn', '=', parentArn)
      .execute();
    const subStreams = subGrants.map((sub) => grantStream(sub.grant_id));
    const now = this.clock.now();
    await handleMultiStreamCommand(
      this.store,
      [parentStream, ...subStreams].map((name) => ({ name, states: this.states })),
      (states) => {
        const decided = new Map<string, NewEvent[]>();
        const parent = states.get(parentStream) as GrantState;
        if (parent.status !== 'present' || parent.aggregate.grant.GrantStatus !== 'PENDING_DELETE') return decided;
        for (const stream of subStreams)
          decided.set(
            stream,
            decideGrant({ type: 'RecallSubGrant', parentArn, now }, states.get(stream) as GrantState),
          );
        decided.set(parentStream, decideGrant({ type: 'CompleteDeletion', now }, parent));
        return decided;
      },
    );
  }
}
