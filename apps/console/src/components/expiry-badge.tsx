import { daysLeftText, expiryStatus } from '../licensing/expiry';

/**
 * "Expired" or "Expires: 60 days left" for a configuration expired or within the guide's 120-day notification
 * horizon; nothing for one that expires later or never.
 */
export function ExpiryBadge({ expiry, now }: { expiry: number | bigint | undefined; now: Date }) {
  const status = expiryStatus(expiry, now);
  if (expiry === undefined || (status !== 'expired' && status !== 'expiring')) return null;
  return (
    <span className={`badge ${status}`}>
      {status === 'expired' ? 'Expired' : `Expires: ${daysLeftText(expiry, now)}`}
    </span>
  );
}
