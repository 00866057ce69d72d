import type { ReactNode } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { licenseStatusLabel } from '../grants/grant-status';
import { validityText } from './license-versions';

/** The guide's "License overview" details of a licence (issued or granted), and what a page adds. */
export function LicenseSummary({ license, children }: { license: LicenseManager.License; children?: ReactNode }) {
  const consumption = license.ConsumptionConfiguration;
  const timeToLive =
    consumption?.ProvisionalConfiguration?.MaxTimeToLiveInMinutes ??
    consumption?.BorrowConfiguration?.MaxTimeToLiveInMinutes;
  return (
    <dl className="details">
      <dt>License ARN</dt>
      <dd className="arn">{license.LicenseArn}</dd>
      <dt>Product</dt>
      <dd>
        {license.ProductName} (SKU {license.ProductSKU})
      </dd>
      <dt>Issuer</dt>
      <dd>
        {license.Issuer?.Name}
        {license.Issuer?.KeyFingerprint && <div className="arn muted">{license.Issuer.KeyFingerprint}</div>}
      </dd>
      <dt>Recipient</dt>
      <dd>{license.Beneficiary}</dd>
      <dt>Home Region</dt>
      <dd>{license.HomeRegion}</dd>
      <dt>License status</dt>
      <dd data-testid="license-status">{licenseStatusLabel(license.Status)}</dd>
      <dt>Validity</dt>
      <dd>{validityText(license.Validity)}</dd>
      <dt>Consumption</dt>
      <dd>
        {consumption?.BorrowConfiguration ? 'Borrow' : 'Provisional'}, renewal {consumption?.RenewType ?? 'None'}
        {timeToLive !== undefined && `, time to live ${timeToLive} minutes`}
      </dd>
      <dt>Version</dt>
      <dd>{license.Version}</dd>
      {children}
    </dl>
  );
}
