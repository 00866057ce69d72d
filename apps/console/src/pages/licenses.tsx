import { useState } from 'react';
import { useApi } from '../api/use-api';
import { ExpiryBadge } from '../components/expiry-badge';
import { PagedRows } from '../components/paged-table';
import { usePager } from '../components/pager';
import { useSettled } from '../components/use-settled';
import { LIMIT_LABELS, limitStatus, usageText } from '../licensing/consumption';
import { COUNTING_TYPES, countingTypeLabel } from '../licensing/license-rules';
import { allConfigurations } from '../licensing/read-all';
import { hrefOf } from '../router';
import { useSession } from '../session/session';

const PAGE_SIZE = 10;
/** A search starts once typing pauses this long, rather than at every key. */
const SEARCH_SETTLE_MS = 250;

/**
 * Self-managed licenses: the account's license configurations, a page of the API at a time (its
 * NextToken), filtered by counting type with the API's licenseCountingType filter. A search by name
 * reads every configuration (the API has no name filter) and shows those whose name contains the words.
 */
export function LicensesPage() {
  const { licenseManager } = useSession();
  const pager = usePager();
  const [countingType, setCountingType] = useState('');
  const [search, setSearch] = useState('');
  const words = useSettled(search.trim().toLowerCase(), SEARCH_SETTLE_MS);
  const [state] = useApi(async () => {
    const filters = countingType ? [{ Name: 'licenseCountingType', Values: [countingType] }] : undefined;
    if (!words)
      return licenseManager.call('ListLicenseConfigurations', {
        MaxResults: PAGE_SIZE,
        NextToken: pager.token,
        Filters: filters,
      });
    const all = await allConfigurations(licenseManager, filters);
    return { LicenseConfigurations: all.filter((c) => c.Name?.toLowerCase().includes(words)), NextToken: undefined };
  }, `${pager.token}|${countingType}|${words}`);
  const now = new Date();

  return (
    <>
      <div className="page-heading">
        <h1>Self-managed licenses</h1>
        <a className="button primary" href={hrefOf.createLicense()}>
          Create self-managed license
        </a>
      </div>
      <div className="filters" role="search">
        <div className="field">
          <label htmlFor="license-search">Search by name</label>
          <input
            id="license-search"
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              pager.reset();
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="counting-type-filter">License type</label>
          <select
            id="counting-type-filter"
            value={countingType}
            onChange={(e) => {
              setCountingType(e.target.value);
              pager.reset();
            }}
          >
            <option value="">Any</option>
            {COUNTING_TYPES.map((type) => (
              <option key={type.value} value={type.value}>
                {type.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <PagedRows
        state={state}
        pager={pager}
        pageOf={(page) => ({ rows: page.LicenseConfigurations ?? [], nextToken: page.NextToken })}
        what="license configurations"
        label="License configuration list"
        caption="License configurations"
        pagerLabel="License configuration pages"
        empty={words ? `No license configuration’s name contains “${words}”.` : 'No license configuration yet.'}
        rowKey={(c) => c.LicenseConfigurationArn ?? ''}
        columns={[
          { header: 'Name', cell: (c) => <a href={hrefOf.license(c.LicenseConfigurationArn!)}>{c.Name}</a> },
          { header: 'License type', cell: (c) => countingTypeLabel(c.LicenseCountingType) },
          {
            header: 'Consumed',
            cell: (c) => (
              <>
                {usageText(c)} <span className="muted">({LIMIT_LABELS[limitStatus(c)].toLowerCase()})</span>
              </>
            ),
          },
          { header: 'Limit', cell: (c) => (c.LicenseCountHardLimit ? 'Hard' : 'Soft') },
          {
            header: 'Status',
            cell: (c) => (
              <>
                {c.Status} <ExpiryBadge expiry={c.LicenseExpiry} now={now} />
              </>
            ),
          },
        ]}
      />
      {words && state.status === 'loaded' && (
        <p role="status">
          {state.data.LicenseConfigurations?.length ?? 0} found by name among all license configurations.
        </p>
      )}
    </>
  );
}
