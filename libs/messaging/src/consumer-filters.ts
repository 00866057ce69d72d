/**
 * What a durable consumer asks JetStream to deliver. A consumer of a service's every event (`….>`)
 * whose appliers each name the types they take receives, with one filter, every event of that
 * service and acknowledges those none takes: licensing's consumer of grants' events took licence
 * and grant lifecycles and skipped every checkout and check-in, about 60 µs of its CPU per checkout
 * request with one replica and 200 µs with two (docs/performance.md, item 74). Narrowed, it is
 * given one subject per type taken, and is delivered nothing to skip; only a server that takes
 * several filters (NATS 2.10 and later, takesSeveralFilters) can be given them.
 */
export function narrowedSubjects(
  subject: string,
  eventTypesOfAppliers: readonly (readonly string[] | undefined)[],
): string[] {
  if (!subject.endsWith('.>')) return [subject];
  const types = new Set<string>();
  for (const eventTypes of eventTypesOfAppliers) {
    // An applier that names none takes every event of the subject.
    if (!eventTypes) return [subject];
    for (const type of eventTypes) types.add(type);
  }
  const service = subject.slice(0, -1);
  return types.size === 0 ? [subject] : [...types].sort().map((type) => service + type);
}

/** Whether a NATS server of this version (its INFO's `version`, e.g. `2.10.27`) takes a consumer's `filter_subjects`. */
export function takesSeveralFilters(serverVersion: string | undefined): boolean {
  const [major, minor] = (serverVersion ?? '').split('.').map((part) => Number.parseInt(part, 10));
  return major > 2 || (major === 2 && minor >= 10);
}

/** A consumer configuration's filter: one subject as `filter_subject`, several as `filter_subjects` (each clears the other on an update). */
export function filterConfig(filters: readonly string[]): { filter_subject?: string; filter_subjects?: string[] } {
  return filters.length === 1
    ? { filter_subject: filters[0], filter_subjects: undefined }
    : { filter_subject: undefined, filter_subjects: [...filters] };
}
