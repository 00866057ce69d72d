import { Inject, Injectable } from '@nestjs/common';
import {
  handleCommand,
  handleMultiStreamCommand,
  stream,
  streamGroup,
  type EventStore,
  type DomainEvent,
  type Recorded,
} from '@lm/event-store';
import { CLOCK, type Clock, DATABASE, EVENT_STORE } from '@lm/service-kit';
import { AwsError } from '@lm/contracts';
import type { Kysely } from 'kysely';
import { derivedGrantId, grantArn, parseGrantArn } from '../domain/arn';
import type { GrantCommand } from '../domain/commands';
import { decideGrant, grantDecider, grantStream } from '../domain/decide';
import { subGrantClientToken } from '../domain/distribution';
import type { GrantEvent } from '../domain/events';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { GrantViews } from './grant.views';
import { grantStates } from './grant-states';

/** The only events the workflow acts on: its subscription reads no others (not the usage events of every checkout). */
const DISTRIBUTION_EVENT_TYPES = [
  'GrantCreated',
  'GrantDeletionStarted',
] as const satisfies readonly GrantEvent['type'][];
type DistributionEvent = Extract<GrantEvent, { type: (typeof DISTRIBUTION_EVENT_TYPES)[number] }>;

const isDistributionEvent = (event: Recorded<DomainEvent>): event is Recorded<DistributionEvent> =>
  (DISTRIBUTION_EVENT_TYPES as readonly string[]).includes(event.type);

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
  readonly eventTypes = DISTRIBUTION_EVENT_TYPES;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<GrantViews>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  async handle(events: readonly Recorded<DomainEvent>[]): Promise<void> {
    for (const event of events.filter(isDistributionEvent)) {
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
      await handleMultiStreamCommand(this.store, {
        // The sub-grants are appended before the parent's completion.
        streams: {
          subGrants: streamGroup(
            subGrants.map((sub) => [sub, sub.stream] as const),
            this.states,
          ),
          parent: stream(parentStream, this.states),
        },
        decide: (states) => {
          const { parent } = states;
          if (parent.status !== 'present' || parent.aggregate.grant.GrantStatus !== 'PENDING_WORKFLOW') return {};
          const created = subGrants.map(
            (sub) =>
              [
                sub,
                decideGrant(
                  { type: 'CreateSubGrant', arn: sub.arn, accountId: sub.accountId, parent: parent.aggregate, now },
                  states.subGrants.get(sub)!,
                ),
              ] as const,
          );
          return {
            subGrants: new Map(created),
            parent: decideGrant(
              { type: 'CompleteDistribution', subGrantArns: subGrants.map((sub) => sub.arn), now },
              parent,
            ),
          };
        },
      });
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
    await handleMultiStreamCommand(this.store, {
      // The sub-grants are recalled before the parent's deletion completes.
      streams: {
        subGrants: streamGroup(
          subStreams.map((name) => [name, name] as const),
          this.states,
        ),
        parent: stream(parentStream, this.states),
      },
      decide: (states) => {
        const { parent } = states;
        if (parent.status !== 'present' || parent.aggregate.grant.GrantStatus !== 'PENDING_DELETE') return {};
        const recalled = subStreams.map(
          (name) =>
            [name, decideGrant({ type: 'RecallSubGrant', parentArn, now }, states.subGrants.get(name)!)] as const,
        );
        return {
          subGrants: new Map(recalled),
          parent: decideGrant({ type: 'CompleteDeletion', now }, parent),
        };
      },
    });
  }
}
