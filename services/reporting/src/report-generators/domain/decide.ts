import type { Decider } from '@lm/event-store';
import { validation, withTags } from '@lm/contracts';
import type { ReportGeneratorCommand } from './commands';
import { clientTokenReused, reportGeneratorNotFound, taggedGeneratorNotFound } from './errors';
import type { ReportGeneratorEvent } from './events';
import {
  evolveReportGenerator,
  initialReportGeneratorState,
  type ReportGeneratorAggregate,
  type ReportGeneratorState,
} from './report-generator';
import { nextRunAfter, retryAfterFailure } from './schedule';

/** How the refusal of a 51st tag names the resource. */
const GENERATOR = 'A report generator';

/** The caller's live generator; anyone else is told it does not exist. */
function ownGenerator(
  state: ReportGeneratorState,
  command: { arn: string; accountId: string },
  notFound = reportGeneratorNotFound,
) {
  if (state.status !== 'present' || state.generator.accountId !== command.accountId) throw notFound(command.arn);
  return state.generator;
}

/** Due at `now`, and not taken by a run that is still going. */
function isDue(generator: ReportGeneratorAggregate, now: Date, staleAfterMs: number): boolean {
  if (generator.nextRunAt === null || Date.parse(generator.nextRunAt) > now.getTime()) return false;
  const running = generator.running;
  return !running || Date.parse(running.startedAt) + staleAfterMs <= now.getTime();
}

export function decideReportGenerator(
  command: ReportGeneratorCommand,
  state: ReportGeneratorState,
): ReportGeneratorEvent[] {
  switch (command.type) {
    case 'CreateReportGenerator': {
      if (state.status !== 'absent') throw validation(`Report generator ${command.arn} already exists.`);
      withTags([], command.tags, GENERATOR);
      const now = command.now.toISOString();
      const { arn, accountId, region, definition, tags, clientToken, requestHash } = command;
      return [
        {
          type: 'ReportGeneratorCreated',
          data: { arn, accountId, region, definition, tags, createdAt: now, nextRunAt: now, clientToken, requestHash },
        },
      ];
    }
    case 'UpdateReportGenerator': {
      const generator = ownGenerator(state, command);
      const earlier = generator.updateTokens[command.clientToken];
      if (earlier !== undefined) {
        if (earlier !== command.requestHash) throw clientTokenReused(command.clientToken);
        return [];
      }
      const now = command.now.toISOString();
      const { arn, definition, clientToken, requestHash } = command;
      return [
        {
          type: 'ReportGeneratorUpdated',
          data: { arn, definition, updatedAt: now, nextRunAt: now, clientToken, requestHash },
        },
      ];
    }
    case 'DeleteReportGenerator': {
      const { arn, accountId, region } = ownGenerator(state, command);
      return [
        { type: 'ReportGeneratorDeleted', data: { arn, accountId, region, deletedAt: command.now.toISOString() } },
      ];
    }
    case 'TagReportGenerator': {
      const generator = ownGenerator(state, command, taggedGeneratorNotFound);
      withTags(generator.tags, command.tags, GENERATOR);
      return [{ type: 'ReportGeneratorTagged', data: { arn: generator.arn, tags: command.tags } }];
    }
    case 'UntagReportGenerator': {
      const generator = ownGenerator(state, command, taggedGeneratorNotFound);
      const present = command.tagKeys.filter((key) => generator.tags.some((tag) => tag.Key === key));
      return present.length === 0
        ? []
        : [{ type: 'ReportGeneratorUntagged', data: { arn: generator.arn, tagKeys: present } }];
    }
    case 'StartReportRun': {
      // Deleted, not due, or taken by another replica: nothing to run.
      if (state.status !== 'present' || !isDue(state.generator, command.now, command.staleAfterMs)) return [];
      return [
        {
          type: 'ReportRunStarted',
          data: { arn: state.generator.arn, runId: command.runId, startedAt: command.now.toISOString() },
        },
      ];
    }
    case 'FinishReportRun': {
      // Deleted meanwhile, or superseded by an update or by a replica that took the run over: not this run's to record.
      const running = state.status === 'present' ? state.generator.running : undefined;
      if (state.status !== 'present' || running?.runId !== command.runId) return [];
      const generator = state.generator;
      const nextRun = nextRunAfter(generator.definition.frequency.period, new Date(running.startedAt));
      const { arn, runId, outcome } = command;
      const at = command.now.toISOString();
      if (outcome.status === 'FAILED') {
        const retryAt = retryAfterFailure(nextRun, command.now, command.retryAfterMs).toISOString();
        return [
          { type: 'ReportRunFailed', data: { arn, runId, failedAt: at, reason: outcome.reason, nextRunAt: retryAt } },
        ];
      }
      const nextRunAt = nextRun?.toISOString() ?? null;
      const { bucket, keyPrefix, keys } = outcome;
      return [
        {
          type: 'ReportRunSucceeded',
          data: { arn, runId, generatedAt: at, reports: { bucket, keyPrefix, keys }, nextRunAt },
        },
      ];
    }
  }
}

export const reportGeneratorDecider: Decider<ReportGeneratorCommand, ReportGeneratorEvent, ReportGeneratorState> = {
  initialState: initialReportGeneratorState,
  evolve: evolveReportGenerator,
  decide: decideReportGenerator,
};

export const reportGeneratorStream = (id: string) => `report-generator-${id}`;
