/**
 * What the chassis provides to a service's classes, by injection token:
 * `@Inject(DATABASE) db: Kysely<MyDatabase>`, `@Inject(EVENT_STORE) store: EventStore`,
 * `@Inject(REGION) region: string`, `@Inject(CONFIG) config: ConfigOf<typeof mySettings>`,
 * `@Inject(NATS) nc: NatsConnection`; CLOCK is in ./clock. OperationClient (from @lm/messaging)
 * is provided as a class, on the same connection, for asking another service over NATS.
 */

/** The service's Kysely instance on its database (`<SERVICE>_DATABASE_URL` or DATABASE_URL). */
export const DATABASE = Symbol('Database');
/** The service's event store (EVENT_STORE), with its projections and guards. */
export const EVENT_STORE = Symbol('EventStore');
/** The Region this deployment serves (LM_REGION), for requests that come without a caller. */
export const REGION = Symbol('Region');
/** The service's own settings, read and validated once at start (see defineService's `config`). */
export const CONFIG = Symbol('Config');
/** The one NATS connection the chassis owns: relay, durable consumers, endpoints and OperationClient use it. */
export const NATS = Symbol('Nats');
