/** Injection tokens for what the application layer needs from infrastructure. */
export const EVENT_STORE = Symbol('EventStore');
export const DATABASE = Symbol('Database');
