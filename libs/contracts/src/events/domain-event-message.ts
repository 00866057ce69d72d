/** A domain event as it travels on JetStream between services. */
export interface DomainEventMessage<Data = Record<string, unknown>> {
  /** The service whose event store recorded the event. */
  service: string;
  eventId: string;
  streamName: string;
  streamVersion: number;
  type: string;
  /**
   * The version of the type's data schema (EVENT_CATALOGUE), stamped by the relay. A consumer
   * upcasts a version older than the one it reads; messages relayed before versions existed are 1.
   */
  schemaVersion: number;
  data: Data;
  recordedAt: string;
}

/** JetStream message id: a relay that publishes an event twice is deduplicated by the server. */
export function domainEventMessageId(
  event: Pick<DomainEventMessage, 'service' | 'streamName' | 'streamVersion'>,
): string {
  return `${event.service}:${event.streamName}:${event.streamVersion}`;
}
