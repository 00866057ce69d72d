import type { Transaction } from 'kysely';
import { subscribedUserSamples, type SubscribedUsers } from '../domain/subscribed-users';
import { writeAccountSamples, writeHourly } from './usage-samples';
import type { UsageMetricsViews } from './usage-metrics.views';

type Db = Transaction<UsageMetricsViews>;

/** What the hourly points of an account's product are named by (their sources). */
export const subscribedUsersKey = (users: Pick<SubscribedUsers, 'accountId' | 'product'>) =>
  `subscribed-users-${users.accountId}-${users.product}`;

/** The point of an account's subscribed users of a product at one instant. */
export async function writeSubscribedUserSample(db: Db, users: SubscribedUsers, at: Date, source: string) {
  await writeAccountSamples(
    db,
    [{ accountId: users.accountId, samples: subscribedUserSamples(users) }],
    at,
    source,
    (_account, sample) => `${sample.metricName}:${users.product}`,
  );
}

/** The hourly points of a count that held from `after` through `through` (`key`: subscribedUsersKey). */
export async function writeHourlySubscribedUserSamples(
  db: Db,
  key: string,
  users: SubscribedUsers,
  after: Date,
  through: Date,
) {
  await writeHourly(key, after, through, (hour, source) => writeSubscribedUserSample(db, users, hour, source));
}
