/** Where the event store reports errors it recovers from. Messages never carry event data. */
export interface EventStoreLogger {
  error(message: string): void;
}

export const consoleLogger: EventStoreLogger = {
  error: (message) => console.error(`[event-store] ${message}`),
};

/** Name and message only: error objects of database drivers can carry query parameters. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'a non-Error value was thrown';
}
