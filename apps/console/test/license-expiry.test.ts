import { describe, expect, it } from 'vitest';
import { decideLicenseConfiguration } from '../../../services/licensing/src/configurations/domain/decide';
import { initialLicenseConfigurationState } from '../../../services/licensing/src/configurations/domain/license-configuration';
import {
  dateOfExpiry,
  daysLeft,
  daysLeftText,
  expiryChange,
  expiryInstantText,
  expiryOfDate,
  expiryStatus,
} from '../src/licensing/expiry';

const at = (iso: string) => new Date(iso);

/** What licensing decides of a configuration created with this LicenseExpiry: its refusal's message, or none. */
function licensingRefusal(expiry: number): string | undefined {
  try {
    decideLicenseConfiguration(
      {
        type: 'CreateLicenseConfiguration',
        id: 'lic-00000000000000000000000000000001',
        arn: 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-00000000000000000000000000000001',
        accountId: '111111111111',
        region: 'us-east-1',
        now: at('2026-12-02T12:00:00Z'),
        input: { Name: 'expiring', LicenseCountingType: 'vCPU', LicenseExpiry: expiry },
      },
      initialLicenseConfigurationState(),
    );
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the license form’s expiry date and LicenseExpiry', () => {
  it('sends a date as the last second of that day in UTC, and shows a LicenseExpiry as its UTC day', () => {
    expect(expiryOfDate('2027-01-31')).toBe(Date.UTC(2027, 0, 31, 23, 59, 59) / 1000);
    expect(expiryOfDate('1970-01-01')).toBe(86_399);
    expect(dateOfExpiry(expiryOfDate('2027-01-31'))).toBe('2027-01-31');
    expect(dateOfExpiry(expiryOfDate('9999-12-31'))).toBe('9999-12-31');
    // Any second of the day is that day: one set through the API at midnight UTC, too.
    expect(dateOfExpiry(Date.UTC(2027, 0, 31) / 1000)).toBe('2027-01-31');
    // The API's longs may arrive as bigints.
    expect(dateOfExpiry(BigInt(expiryOfDate('2027-01-31')))).toBe('2027-01-31');
  });

  it('shows the instant itself, and a LicenseExpiry beyond what a date holds as seconds', () => {
    expect(expiryInstantText(expiryOfDate('2027-01-31'))).toBe('2027-01-31 23:59:59 UTC');
    // Licensing takes any positive safe integer; no date input holds the year 285 million.
    const far = Number.MAX_SAFE_INTEGER;
    expect(dateOfExpiry(far)).toBe('');
    expect(expiryInstantText(far)).toBe(`${far} s after 1970 UTC`);
  });

  it('sends on edit only a date changed from the configuration’s: an emptied date removes nothing', () => {
    const noon = Date.UTC(2027, 0, 31, 12) / 1000;
    expect(expiryChange('2027-01-31', noon)).toBeUndefined();
    expect(expiryChange('', noon)).toBeUndefined();
    expect(expiryChange('2027-02-01', noon)).toBe(expiryOfDate('2027-02-01'));
    expect(expiryChange('2027-02-01', undefined)).toBe(expiryOfDate('2027-02-01'));
    expect(expiryChange('', undefined)).toBeUndefined();
  });

  it('counts the whole days left, expired from the expiry’s own second as licensing does', () => {
    const expiry = expiryOfDate('2027-01-31');
    expect(daysLeft(expiry, at('2026-12-02T00:00:00Z'))).toBe(60);
    expect(daysLeft(expiry, at('2026-12-02T23:59:58Z'))).toBe(60);
    expect(daysLeftText(expiry, at('2027-01-30T08:00:00Z'))).toBe('1 day left');
    expect(daysLeftText(expiry, at('2027-01-31T23:59:58Z'))).toBe('less than a day left');
    expect(daysLeftText(expiry, at('2027-01-31T23:59:59Z'))).toBe('expired');
  });

  it('marks a configuration expired, or expiring within the guide’s 120-day notification horizon', () => {
    const now = at('2026-12-02T10:00:00Z');
    expect(expiryStatus(undefined, now)).toBe('none');
    expect(expiryStatus(expiryOfDate('2026-12-01'), now)).toBe('expired');
    expect(expiryStatus(expiryOfDate('2026-12-02'), now)).toBe('expiring');
    expect(expiryStatus(expiryOfDate('2027-04-01'), now)).toBe('expiring'); // 120 days: the first notification
    expect(expiryStatus(expiryOfDate('2027-04-02'), now)).toBe('later');
  });

  it('sends what licensing takes from 1970-01-01 on, a past day included; an earlier date is refused by licensing', () => {
    expect(licensingRefusal(expiryOfDate('1970-01-01'))).toBeUndefined();
    expect(licensingRefusal(expiryOfDate('2020-06-30'))).toBeUndefined();
    expect(licensingRefusal(expiryOfDate('9999-12-31'))).toBeUndefined();
    expect(licensingRefusal(expiryOfDate('1969-07-20'))).toMatch(/LicenseExpiry/);
  });
});
