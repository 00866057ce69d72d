import type { LicenseManager } from '@lm/api-model';

/** The renewal frequencies of a subscription (RenewType None, or none given, means the licence expires). */
export type RenewalFrequency = Exclude<LicenseManager.RenewType, 'None'>;

export const renewalFrequency = (
  configuration: LicenseManager.ConsumptionConfiguration,
): RenewalFrequency | undefined =>
  configuration.RenewType === 'Weekly' || configuration.RenewType === 'Monthly' ? configuration.RenewType : undefined;

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/**
 * `anchor` plus `months` calendar months, in UTC, at the same time of day. A day the target month
 * lacks becomes its last day (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year).
 */
function plusCalendarMonths(anchor: Date, months: number): Date {
  const month = anchor.getUTCMonth() + months;
  const year = anchor.getUTCFullYear() + Math.floor(month / 12);
  const monthOfYear = ((month % 12) + 12) % 12;
  const shifted = new Date(anchor.getTime());
  shifted.setUTCFullYear(year, monthOfYear, Math.min(anchor.getUTCDate(), daysInMonth(year, monthOfYear)));
  return shifted;
}

/**
 * The end of the period a subscription renews into at `now`: the first end after `now` of the
 * periods counted from `issuedEnd`, the Validity.End the issuer wrote on the current version
 * (`issuedEnd` + k weeks, or + k calendar months, smallest k ≥ 1). Counting from the issued end
 * rather than from the last renewal keeps the day of the month: a Jan 31 end renews to Feb 28
 * (29), then Mar 31, Apr 30, never drifting to the 28th. Periods missed while nobody swept are
 * skipped: one renewal reaches past `now`.
 */
export function renewedEnd(issuedEnd: string, frequency: RenewalFrequency, now: Date): Date {
  const anchor = new Date(issuedEnd);
  if (frequency === 'Weekly') {
    const periods = Math.max(1, Math.floor((now.getTime() - anchor.getTime()) / WEEK_MS) + 1);
    return new Date(anchor.getTime() + periods * WEEK_MS);
  }
  // Months between the anchor's month and now's: an end earlier than that is not past now, so start there.
  let periods = Math.max(
    1,
    (now.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + now.getUTCMonth() - anchor.getUTCMonth(),
  );
  let end = plusCalendarMonths(anchor, periods);
  while (end.getTime() <= now.getTime()) end = plusCalendarMonths(anchor, ++periods);
  return end;
}
