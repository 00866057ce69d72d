import type { LicenseManager } from '@lm/api-model';
import { isLong, validation } from '@lm/contracts';

/** ISO 8601 date-times in UTC or with an offset, as Validity takes them. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function instant(value: string, name: string): number {
  const time = ISO_8601.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(time))
    throw validation(`${name} must be an ISO 8601 date-time (e.g. 2026-01-01T00:00:00Z), not ${value}.`);
  return time;
}

/** Validity: Begin required; End optional (a perpetual licence), after Begin. */
export function assertValidity(validity: LicenseManager.DatetimeRange): void {
  const begin = instant(validity.Begin, 'Validity.Begin');
  if (validity.End !== undefined && instant(validity.End, 'Validity.End') <= begin) {
    throw validation('Validity.End must be after Validity.Begin.');
  }
}

/**
 * Entitlements (the guide): a limited one counts in a Unit with a MaxCount; an unlimited one
 * (Unit None) carries a Value instead, such as a tier. Names identify them in checkouts.
 */
export function assertEntitlements(entitlements: LicenseManager.Entitlement[]): void {
  if (entitlements.length === 0) throw validation('A licence needs at least one entitlement.');
  const names = new Set<string>();
  for (const entitlement of entitlements) {
    const { Name, Unit, MaxCount, Value } = entitlement;
    if (!Name.trim()) throw validation('Entitlement names must not be empty.');
    if (names.has(Name)) throw validation(`Entitlement ${Name} is given twice; names must be unique.`);
    names.add(Name);
    if (Unit === 'None') {
      if (MaxCount !== undefined)
        throw validation(`Entitlement ${Name} has Unit None: it takes a Value, not a MaxCount.`);
      if (entitlement.Overage)
        throw validation(`Entitlement ${Name} has Unit None: it has no count to exceed (Overage).`);
    } else {
      if (Value !== undefined)
        throw validation(`Entitlement ${Name} counts in ${Unit}: it takes a MaxCount, not a Value.`);
      if (MaxCount !== undefined && (!isLong(MaxCount) || MaxCount < 0)) {
        throw validation(`Entitlement ${Name}: MaxCount must be a non-negative integer.`);
      }
    }
  }
}

/** The guide: a licence is consumed provisionally (connected), borrowed (offline), or both. */
export function assertConsumptionConfiguration(configuration: LicenseManager.ConsumptionConfiguration): void {
  const { ProvisionalConfiguration: provisional, BorrowConfiguration: borrow } = configuration;
  if (!provisional && !borrow) {
    throw validation('ConsumptionConfiguration needs a ProvisionalConfiguration, a BorrowConfiguration, or both.');
  }
  for (const [name, minutes] of [
    ['ProvisionalConfiguration', provisional?.MaxTimeToLiveInMinutes],
    ['BorrowConfiguration', borrow?.MaxTimeToLiveInMinutes],
  ] as const) {
    if (minutes !== undefined && (!Number.isSafeInteger(minutes) || minutes < 1)) {
      throw validation(`${name}.MaxTimeToLiveInMinutes must be a positive integer.`);
    }
  }
}

export function assertText(value: string, name: string, maxLength: number): void {
  if (!value.trim()) throw validation(`${name} must not be empty.`);
  if (value.length > maxLength) throw validation(`${name} must be at most ${maxLength} characters.`);
}
