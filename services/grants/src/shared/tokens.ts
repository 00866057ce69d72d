/** Injection tokens for what the application layer needs from infrastructure. */
export const EVENT_STORE = Symbol('EventStore');
export const DATABASE = Symbol('Database');
/** The Region this deployment serves (LM_REGION): a licence's HomeRegion must name it to be changed here. */
export const REGION = Symbol('Region');
