import type { ConnectionOptions } from 'nats';

/**
 * How every long-lived NATS connection of the system reconnects: for ever, a second apart. The
 * client's default gives up after 10 attempts 2 s apart and closes the connection for good: a NATS
 * restart or outage longer than about 20 s would leave the gateway answering 500 and every service
 * deaf until restarted by hand. While disconnected, what is published waits in the client's
 * buffer, and a request not answered in its timeout fails as usual (the gateway's 503).
 */
export const RECONNECTING: Pick<ConnectionOptions, 'maxReconnectAttempts' | 'reconnectTimeWait'> = {
  maxReconnectAttempts: -1,
  reconnectTimeWait: 1_000,
};
