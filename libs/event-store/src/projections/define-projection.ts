import type { Kysely, Transaction } from 'kysely';
import type { DomainEvent, Guard, Projection, Recorded } from '../event-store';
import type { StatementPipeline } from '../statement-pipeline';

/** A projection (or guard) of the events of `E` whose type is one of `T`. */
interface ProjectionOf<E extends DomainEvent, T extends E['type'], DB> {
  name: string;
  /** Checked against the union: a type `E` does not have fails to compile. */
  eventTypes: readonly T[];
  /** Given only the events of `eventTypes`, so `switch (event.type)` narrows to those. */
  handle(events: Recorded<Extract<E, { type: T }>>[], trx: Transaction<DB>, pipeline: StatementPipeline): Promise<void>;
  truncate(db: Kysely<DB> | Transaction<DB>): Promise<void>;
}

/**
 * A projection of the event union `E` on a database `DB`, curried so that `E` is named and the
 * event types are inferred: `defineProjection<LicenseEvent, Db>()({ name, eventTypes: [...], handle, truncate })`.
 */
export function defineProjection<E extends DomainEvent, DB = any>() {
  return <T extends E['type']>(projection: ProjectionOf<E, T, DB>): Projection<Extract<E, { type: T }>, DB> =>
    projection;
}

/** A guard (see Guard) of the event union `E`, typed as defineProjection types projections. */
export function defineGuard<E extends DomainEvent, DB = any>() {
  return <T extends E['type']>(guard: ProjectionOf<E, T, DB>): Guard<Extract<E, { type: T }>, DB> => guard;
}
