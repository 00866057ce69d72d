import type { LicenseManager } from '@lm/api-model';
import type { AwsError } from '@lm/contracts';
import { noEntitlementsAllowed } from './errors';
import { addLongs, invalidParameterValue, subtractLongs, type Long } from '@lm/contracts';
import type { CountedUnits, Overage } from './events';
import { entitlementKey } from './license-usage';
import { isLimited, type LicenseTerms } from './license-terms';

/** What a checkout takes from a licence. */
export interface Allocation {
  entitlementsAllowed: LicenseManager.EntitlementData[];
  counted: CountedUnits[];
  overage: Overage[];
}

const AMOUNT = /^\d{1,15}$/;

/** The amount of a limited entitlement asked for: a whole number (1 when the request gives none). */
function requestedAmount(requested: LicenseManager.EntitlementData): number {
  if (requested.Value === undefined) return 1;
  if (!AMOUNT.test(requested.Value)) {
    throw invalidParameterValue(
      `Entitlement ${requested.Name} (${requested.Unit}) asks for ${requested.Value}: the amount of a limited entitlement is a whole number.`,
    );
  }
  return Number(requested.Value);
}

/**
 * Grants every requested entitlement or none. A limited entitlement (Unit other than None) is
 * counted: what is in use plus what is asked may not pass MaxCount, unless the entitlement allows
 * Overage, and then how far it goes beyond is recorded. An unlimited one is granted with the
 * licence's value and never counted. `missing` is the refusal for an entitlement the licence does
 * not have (the operations name it differently).
 */
export function allocate(
  requested: readonly LicenseManager.EntitlementData[],
  terms: LicenseTerms,
  inUse: ReadonlyMap<string, Long>,
  missing: (message: string) => AwsError,
): Allocation {
  const allocation: Allocation = { entitlementsAllowed: [], counted: [], overage: [] };
  const seen = new Set<string>();
  for (const request of requested) {
    const key = entitlementKey(request.Name, request.Unit);
    if (seen.has(key))
      throw invalidParameterValue(`Entitlement ${request.Name} (${request.Unit}) is requested more than once.`);
    seen.add(key);
    const entitlement = terms.entitlements.find((e) => e.Name === request.Name && e.Unit === request.Unit);
    if (!entitlement)
      throw missing(`License ${terms.licenseArn} has no entitlement ${request.Name} (${request.Unit}).`);
    if (!isLimited(entitlement)) {
      if (request.Value !== undefined && entitlement.Value !== undefined && request.Value !== entitlement.Value) {
        throw missing(
          `License ${terms.licenseArn} grants ${request.Name} as ${entitlement.Value}, not ${request.Value}.`,
        );
      }
      allocation.entitlementsAllowed.push({
        Name: request.Name,
        Unit: request.Unit,
        Value: entitlement.Value ?? request.Value ?? '0',
      });
      continue;
    }
    const units = requestedAmount(request);
    const used = inUse.get(key) ?? 0;
    const max = entitlement.MaxCount;
    // Exact: MaxCount is any long, and what is in use may pass 2 ** 53 - 1 (a double would round both).
    const total = addLongs(used, units);
    if (max !== undefined && total > max) {
      if (!entitlement.Overage) {
        const left = used < max ? subtractLongs(max, used) : 0;
        throw noEntitlementsAllowed(
          `Entitlement ${request.Name} of license ${terms.licenseArn} has ${left} of ${max} left; ${units} requested.`,
        );
      }
      // At most the units asked for: a safe number.
      const overBy = Number(subtractLongs(total, max > used ? max : used));
      allocation.overage.push({ name: request.Name, unit: request.Unit, overBy });
    }
    allocation.entitlementsAllowed.push({ Name: request.Name, Unit: request.Unit, Value: String(units) });
    allocation.counted.push({ name: request.Name, unit: request.Unit, units });
  }
  return allocation;
}

/** Whether a lease already grants at least what is requested (a node asking again for what it holds). */
export const grantsAtLeast = (
  allowed: readonly LicenseManager.EntitlementData[],
  requested: readonly LicenseManager.EntitlementData[],
) =>
  requested.every((request) => {
    const held = allowed.find((a) => a.Name === request.Name && a.Unit === request.Unit);
    if (!held) return false;
    if (request.Unit === 'None') return request.Value === undefined || request.Value === held.Value;
    return Number(held.Value) >= (request.Value === undefined ? 1 : Number(request.Value));
  });
