/** PostgreSQL schema that holds the linux-subscriptions service's event store and views. */
export const LINUX_SUBSCRIPTIONS_SCHEMA = 'linux_subscriptions';
