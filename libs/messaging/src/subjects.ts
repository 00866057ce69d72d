import type { OwnedOperation, ServiceName } from '@lm/contracts';

/**
 * Subjects of the system on NATS. LM_NATS_NAMESPACE, when set, puts one deployment's subjects
 * under `lm.<namespace>.` so that several deployments (staging and production, or test
 * systems) can share a NATS server without answering each other's requests.
 */
const namespace = process.env.LM_NATS_NAMESPACE;
if (namespace !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(namespace)) {
  throw new Error('LM_NATS_NAMESPACE must be lower-case letters, digits and dashes');
}
if (namespace === 'events' || namespace === 'health' || namespace === 'audit' || namespace === 'replica')
  throw new Error(`LM_NATS_NAMESPACE cannot be "${namespace}"`);
const root = namespace ? `lm.${namespace}` : 'lm';
/** `lm`, or `lm.<namespace>`: the first tokens of every subject of this deployment. */
export const namespacedRoot = root;

/**
 * NATS subject of an operation served by a service: `lm.<service>.<Operation>`. Only operations the
 * ownership table gives the service have one.
 */
export function operationSubject<S extends ServiceName>(service: S, operation: OwnedOperation<S>): string {
  return `${root}.${service}.${operation}`;
}

/**
 * The subject on which one replica alone serves an operation's subject (no queue group):
 * `lm.replica.<replica>.<service>.<Operation>`. The gateway sends a tenant's requests there to keep
 * them on one replica (services/gateway/src/routing/tenant-routing.ts).
 */
export function replicaSubject(replica: string, subject: string): string {
  return `${root}.replica.${replica}${subject.slice(root.length)}`;
}

/** Where each replica of a service says that it serves its replica subjects (replica-presence.ts). */
export function replicaPresenceSubject(service: string): string {
  return `${root}.replicas.${service}`;
}

/** Every service's replica presence. */
export const REPLICA_PRESENCE_SUBJECTS = `${root}.replicas.*`;

/** JetStream subject of a domain event: `lm.events.<service>.<EventType>` (`>` for all of a service). */
export function eventSubject(service: string, eventType: string): string {
  return `${root}.events.${service}.${eventType}`;
}

/** The event type an event subject names (its last token). */
export const eventTypeOfSubject = (subject: string) => subject.slice(subject.lastIndexOf('.') + 1);

/** The JetStream stream that keeps every domain event of every service of a deployment. */
export function eventsStreamName(deploymentNamespace: string | undefined): string {
  return deploymentNamespace ? `LM_EVENTS_${deploymentNamespace.replace(/-/g, '_').toUpperCase()}` : 'LM_EVENTS';
}

export const EVENTS_STREAM = eventsStreamName(namespace);
export const EVENTS_SUBJECTS = `${root}.events.>`;

/** Subject on which every replica of a service answers health checks (checking its own database). */
export function healthSubject(service: string): string {
  return `${root}.health.${service}`;
}

/**
 * Where integrators publish inventory reports directly on NATS (the body of ReportResources,
 * with an AccountId on every resource since there is no signed caller).
 */
export function inventoryReportSubject(): string {
  return `${root}.inventory.report`;
}

/**
 * Subject on which every replica of a service answers with its own counters (no queue group: a
 * request gathers one answer per replica), for the gateway's /metrics.
 */
export function metricsSubject(service: string): string {
  return `${root}.metrics.${service}`;
}

/**
 * Subject on which a service's standby replicas tell the replica that runs its store subscriptions
 * (the one holding the subscription lease) the event types they have just appended, so that it
 * reads them at once rather than at its next poll. Core NATS, no queue group: only that replica listens.
 */
export function appendedSubject(service: string): string {
  return `${root}.appended.${service}`;
}
