import type { ExpectedVersion, NewEvent } from './event-store';

/** Rejects arguments that no adapter can honour, before anything is written. */
export function assertAppendable(streamName: string, events: NewEvent[], expectedVersion: ExpectedVersion): void {
  if (!streamName) throw new TypeError('stream name must not be empty');
  if (events.length === 0) throw new TypeError(`append to ${streamName} needs at least one event`);
  if (typeof expectedVersion === 'number' && !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)) {
    throw new TypeError(`expected version must be a non-negative integer, got ${expectedVersion}`);
  }
}
