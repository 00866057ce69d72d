import type { LicenseManager } from '@lm/api-model';

/** The units an entitlement counts in (the API's EntitlementUnit), None first: a capability without a count. */
export const ENTITLEMENT_UNITS: LicenseManager.EntitlementUnit[] = [
  'Count',
  'None',
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
];

export interface EntitlementRow {
  name: string;
  unit: LicenseManager.EntitlementUnit;
  /** As typed: the maximum count, or for the unit None the entitlement's value (a tier); empty: none. */
  amount: string;
  allowCheckIn: boolean;
  overage: boolean;
}

/** The guide's "Create license" form (License metadata, Consumption configuration, Issuer, Entitlements), as typed. */
export interface IssuedLicenseForm {
  licenseName: string;
  productName: string;
  productSku: string;
  beneficiary: string;
  homeRegion: string;
  /** Dates as a date input gives them (YYYY-MM-DD), taken as UTC days; the end date is optional. */
  startDate: string;
  endDate: string;
  renewType: LicenseManager.RenewType;
  consumption: 'provisional' | 'borrow';
  maxTimeToLiveMinutes: string;
  issuerName: string;
  signKey: string;
  entitlements: EntitlementRow[];
}

export const emptyEntitlement = (): EntitlementRow => ({
  name: '',
  unit: 'Count',
  amount: '',
  allowCheckIn: false,
  overage: false,
});

/**
 * The CreateLicense request the form describes. Numbers typed are passed as numbers (or as what was
 * typed, for the API to refuse): the API checks every value, and the console shows its answer.
 */
export function createLicenseRequest(
  form: IssuedLicenseForm,
  clientToken: string,
): LicenseManager.CreateLicenseRequest {
  const minutes = Number(form.maxTimeToLiveMinutes);
  return {
    LicenseName: form.licenseName.trim(),
    ProductName: form.productName.trim(),
    ProductSKU: form.productSku.trim(),
    Beneficiary: form.beneficiary.trim(),
    HomeRegion: form.homeRegion.trim(),
    Validity: {
      Begin: `${form.startDate}T00:00:00Z`,
      End: form.endDate ? `${form.endDate}T00:00:00Z` : undefined,
    },
    ConsumptionConfiguration: {
      RenewType: form.renewType,
      ...(form.consumption === 'provisional'
        ? { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: minutes } }
        : { BorrowConfiguration: { MaxTimeToLiveInMinutes: minutes, AllowEarlyCheckIn: true } }),
    },
    Issuer: { Name: form.issuerName.trim(), SignKey: form.signKey.trim() || undefined },
    Entitlements: form.entitlements.map((row) => {
      const amount = row.amount.trim();
      return {
        Name: row.name.trim(),
        Unit: row.unit,
        ...(amount === '' ? {} : row.unit === 'None' ? { Value: amount } : { MaxCount: Number(amount) }),
        AllowCheckIn: row.allowCheckIn,
        Overage: row.overage,
      };
    }),
    ClientToken: clientToken,
  };
}
