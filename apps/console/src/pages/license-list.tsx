import { useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { useApi } from '../api/use-api';
import { PagedRows } from '../components/paged-table';
import { usePager } from '../components/pager';
import { useSettled } from '../components/use-settled';
import { grantStatusLabel, LICENSE_STATUS_LABELS, licenseStatusLabel } from '../grants/grant-status';
import { hrefOf } from '../router';
import { useSession } from '../session/session';

const PAGE_SIZE = 10;
const FILTER_SETTLE_MS = 250;

/**
 * The licences the account issued (ListLicenses) or was granted (ListReceivedLicenses, with the status
 * of the grant it received them by), a page at a time, filtered with the API's filters: the guide's
 * Product SKU, Recipient and Status.
 */
export function LicenseList({ kind }: { kind: 'issued' | 'granted' }) {
  const { licenseManager } = useSession();
  const pager = usePager();
  const [typed, setTyped] = useState({ sku: '', beneficiary: '' });
  const [status, setStatus] = useState('');
  const settled = useSettled(typed, FILTER_SETTLE_MS);
  const filters = [
    { Name: 'ProductSKU', Values: [settled.sku.trim()] },
    { Name: 'Beneficiary', Values: [settled.beneficiary.trim()] },
    { Name: 'Status', Values: [status] },
  ].filter((filter) => filter.Values[0] !== '');
  const [state] = useApi(
    async (): Promise<{ Licenses?: LicenseManager.GrantedLicense[]; NextToken?: string }> => {
      const input = { MaxResults: PAGE_SIZE, NextToken: pager.token, Filters: filters };
      return kind === 'issued'
        ? licenseManager.call('ListLicenses', input)
        : licenseManager.call('ListReceivedLicenses', input);
    },
    `${kind}|${pager.token}|${JSON.stringify(filters)}`,
  );
  const filterChanged = () => pager.reset();
  const detailHref = kind === 'issued' ? hrefOf.issuedLicense : hrefOf.grantedLicense;
  const title = kind === 'issued' ? 'Issued' : 'Granted';

  return (
    <>
      <div className="filters" role="search" aria-label={`Filter ${kind} licenses`}>
        <div className="field">
          <label htmlFor="sku-filter">Product SKU</label>
          <input
            id="sku-filter"
            type="search"
            value={typed.sku}
            onChange={(e) => {
              setTyped({ ...typed, sku: e.target.value });
              filterChanged();
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="beneficiary-filter">Recipient</label>
          <input
            id="beneficiary-filter"
            type="search"
            value={typed.beneficiary}
            onChange={(e) => {
              setTyped({ ...typed, beneficiary: e.target.value });
              filterChanged();
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="status-filter">Status</label>
          <select
            id="status-filter"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              filterChanged();
            }}
          >
            <option value="">Any</option>
            {Object.entries(LICENSE_STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <PagedRows
        state={state}
        pager={pager}
        pageOf={(page) => ({ rows: page.Licenses ?? [], nextToken: page.NextToken })}
        what={`${kind} licenses`}
        label={`${title} license list`}
        caption={`${title} licenses`}
        pagerLabel={`Pages of ${kind} licenses`}
        empty={
          filters.length > 0
            ? 'No license matches these filters.'
            : kind === 'issued'
              ? 'No license issued yet.'
              : 'No license has been granted to this account.'
        }
        rowKey={(license) => license.LicenseArn ?? ''}
        columns={[
          {
            header: 'License name',
            cell: (license) => <a href={detailHref(license.LicenseArn!)}>{license.LicenseName}</a>,
          },
          { header: 'Product SKU', cell: (license) => license.ProductSKU },
          kind === 'issued'
            ? { header: 'Recipient', cell: (license) => license.Beneficiary }
            : { header: 'Issuer', cell: (license) => license.Issuer?.Name },
          { header: 'License status', cell: (license) => licenseStatusLabel(license.Status) },
          ...(kind === 'granted'
            ? [
                {
                  header: 'Grant status',
                  cell: (license: LicenseManager.GrantedLicense) =>
                    grantStatusLabel(license.ReceivedMetadata?.ReceivedStatus),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
