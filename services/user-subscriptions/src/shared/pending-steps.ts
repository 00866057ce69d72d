import { outsideRequest } from '@lm/service-kit';
import { Logger } from '@nestjs/common';
import type { Sweep } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { USER_SUBSCRIPTIONS_SCHEMA } from './schema';

/** Resources a sweep settles at a time: the next sweep takes the rest. */
export const SWEEP_BATCH = 50;

/**
 * Where a slice's pending resources are: its view (whose rows have `arn`, `status` and `state`,
 * the whole resource), the statuses a step still has to settle, and the column that orders them.
 */
export interface PendingView {
  table: string;
  pending: readonly string[];
  oldestFirstBy: string;
}

/**
 * What finishes a resource a request left pending (REGISTERING, SUBSCRIBING, ...) after the
 * request answered: each request starts its own step at once (`soon`), and the sweep settles,
 * oldest first and a batch at a time, whatever a restart or a crash left pending. Replicas may
 * settle the same resource together: `settle` appends its outcome at the version its decision
 * read, so one of them records it.
 */
export abstract class PendingSteps<State> implements Sweep {
  private readonly logger = new Logger(this.constructor.name);
  // Each slice's views type its own table; this class reads only the three columns PendingView names.
  private readonly views: Kysely<any>;

  constructor(
    db: Kysely<any>,
    private readonly view: PendingView,
  ) {
    this.views = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  /** Settles the resource in the background; a failure is left to the sweep. */
  soon(arn: string): void {
    outsideRequest(() => this.settleArn(arn)).catch((error) =>
      this.logger.warn(`settling ${arn} failed, the sweep retries: ${String(error)}`),
    );
  }

  /** The number of pending resources settled. */
  sweep(): Promise<number> {
    return this.settlePending();
  }

  /** Settles a batch of the oldest pending resources; the number settled. */
  protected async settlePending(): Promise<number> {
    const rows: { state: State }[] = await this.views
      .selectFrom(this.view.table)
      .select('state')
      .where('status', 'in', this.view.pending)
      .orderBy(sql.ref(this.view.oldestFirstBy))
      .limit(SWEEP_BATCH)
      .execute();
    for (const { state } of rows) await this.settle(state);
    return rows.length;
  }

  protected async settleArn(arn: string): Promise<void> {
    const row: { state: State } | undefined = await this.views
      .selectFrom(this.view.table)
      .select('state')
      .where('arn', '=', arn)
      .executeTakeFirst();
    if (row) await this.settle(row.state);
  }

  /** Takes the resource's next step if it is still pending (one settled meanwhile is left as it is). */
  protected abstract settle(state: State): Promise<void>;
}
