/** NATS subject of an operation served by a service: `lm.<service>.<Operation>`. */
export function operationSubject(service: string, operation: string): string {
  return `lm.${service}.${operation}`;
}

/** JetStream subject of a domain event: `lm.events.<service>.<EventType>`. */
export function eventSubject(service: string, eventType: string): string {
  return `lm.events.${service}.${eventType}`;
}

/** The JetStream stream that keeps every domain event of every service. */
export const EVENTS_STREAM = 'LM_EVENTS';
export const EVENTS_SUBJECTS = 'lm.events.>';

/** Subject on which every replica of a service answers health checks (checking its own database). */
export function healthSubject(service: string): string {
  return `lm.health.${service}`;
}
