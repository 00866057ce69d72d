import type { ServiceName } from '../operation-owners';
import { CONVERSION_EVENT_VERSIONS } from './conversion';
import { DISCOVERY_EVENT_VERSIONS } from './discovery';
import { GRANTS_EVENT_VERSIONS } from './grants';
import { LICENSING_EVENT_VERSIONS } from './licensing';
import { LINUX_SUBSCRIPTIONS_EVENT_VERSIONS } from './linux-subscriptions';
import { REPORTING_EVENT_VERSIONS } from './reporting';
import { USER_SUBSCRIPTIONS_EVENT_VERSIONS } from './user-subscriptions';

/**
 * Every domain event the services publish on JetStream (lm.events.<service>.<Type>), by service,
 * with the schema version of each type. The relay stamps that version on each message.
 */
export const EVENT_CATALOGUE = {
  licensing: LICENSING_EVENT_VERSIONS,
  discovery: DISCOVERY_EVENT_VERSIONS,
  grants: GRANTS_EVENT_VERSIONS,
  reporting: REPORTING_EVENT_VERSIONS,
  'user-subscriptions': USER_SUBSCRIPTIONS_EVENT_VERSIONS,
  'linux-subscriptions': LINUX_SUBSCRIPTIONS_EVENT_VERSIONS,
  conversion: CONVERSION_EVENT_VERSIONS,
} as const satisfies Partial<Record<ServiceName, Readonly<Record<string, number>>>>;

export type PublishingService = keyof typeof EVENT_CATALOGUE;

/** The event types a service publishes. */
export type PublishedEventType<S extends PublishingService> = keyof (typeof EVENT_CATALOGUE)[S] & string;

/**
 * Compile-time proof that a domain event union is published: `CataloguedEvents<'licensing', MyEvent>`
 * fails to compile, naming the type, when an event type of the union is missing from the service's
 * catalogue. Each domain events file declares one (`type _Published = CataloguedEvents<...>`).
 */
export type CataloguedEvents<S extends PublishingService, E extends { type: PublishedEventType<S> }> = E;

/**
 * The schema version of an event type as its service publishes it. A type outside the catalogue
 * (a service without one, such as a test's) is at its first version.
 */
export function eventSchemaVersion(service: string, type: string): number {
  const catalogue: Readonly<Record<string, Readonly<Record<string, number>>>> = EVENT_CATALOGUE;
  const versions = Object.hasOwn(catalogue, service) ? catalogue[service] : {};
  return Object.hasOwn(versions, type) ? versions[type] : 1;
}

/**
 * Refuses a message whose data is not at the schema version this library declares for its type:
 * a consumer narrows a message to a contract's data type only after this. A newer version (the
 * producer upgraded first) or an older one without an upcaster here throws, so the message is
 * redelivered until the consumer can read it, rather than misread.
 */
export function assertCataloguedVersion(event: { service: string; type: string; schemaVersion: number }): void {
  const known = eventSchemaVersion(event.service, event.type);
  if (event.schemaVersion !== known)
    throw new Error(
      `${event.service} ${event.type} is at schema version ${event.schemaVersion}; this consumer reads version ${known}`,
    );
}
