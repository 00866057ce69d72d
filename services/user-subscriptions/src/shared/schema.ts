/** PostgreSQL schema that holds the user-subscriptions service's event store and views. */
export const USER_SUBSCRIPTIONS_SCHEMA = 'user_subscriptions';
