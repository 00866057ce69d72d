import { useState, type FormEvent } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { ApiError } from '../api/api-error';
import { useApi } from '../api/use-api';
import { AssociateLicense } from '../components/associate-license';
import { ErrorMessage } from '../components/error-message';
import { InventoryFilterEditor } from '../components/inventory-filter-editor';
import { LoadedView } from '../components/loaded-view';
import { Pager, usePager } from '../components/pager';
import { TableScroll } from '../components/table-scroll';
import { inventoryFilters, type FilterRow } from '../inventory/inventory-filters';
import { hrefOf } from '../router';
import { useSession } from '../session/session';

const PAGE_SIZE = 20;
/** The errors ListResourceInventory answers about its filters. */
const FILTER_REFUSALS = ['InvalidParameterValueException', 'ValidationException', 'FilterLimitExceededException'];

/**
 * Inventory search: the resources discovered in the account (or, for a management account with
 * cross-account discovery on, in its organization), filtered with the guide's filters and operators
 * (ListResourceInventory), a page of the API at a time.
 */
export function InventoryPage() {
  const { licenseManager } = useSession();
  const pager = usePager();
  const [rows, setRows] = useState<FilterRow[]>([]);
  /** The filters of the last Search: editing the rows does not search until then. */
  const [applied, setApplied] = useState<FilterRow[]>([]);
  /** The resource chosen for "Associate self-managed license". */
  const [chosen, setChosen] = useState<LicenseManager.ResourceInventory | null>(null);
  const [state] = useApi(
    () =>
      licenseManager.call('ListResourceInventory', {
        MaxResults: PAGE_SIZE,
        NextToken: pager.token,
        Filters: applied.length > 0 ? inventoryFilters(applied) : undefined,
      }),
    `${pager.token}|${JSON.stringify(applied)}`,
  );
  const [settings] = useApi(() => licenseManager.call('GetServiceSettings', {}), 'settings');
  const search = (event: FormEvent) => {
    event.preventDefault();
    setApplied(rows);
    pager.reset();
  };
  // A refusal of the filters is shown beside them; any other failure (access, the service) where the results go.
  const filterError =
    state.status === 'failed' && state.error instanceof ApiError && FILTER_REFUSALS.includes(state.error.code)
      ? state.error
      : null;

  return (
    <>
      <h1>Inventory search</h1>
      <p data-testid="inventory-scope">
        {settings.status === 'loaded' && settings.data.EnableCrossAccountsDiscovery
          ? 'Cross-account view: resources of every account of your organization (cross-account discovery is on).'
          : 'Resources of this account. '}
        {settings.status === 'loaded' && !settings.data.EnableCrossAccountsDiscovery && (
          <>
            A management account sees its whole organization once cross-account discovery is on in{' '}
            <a href={hrefOf.page('settings')}>Settings</a>.
          </>
        )}
      </p>
      <form className="form" role="search" onSubmit={search}>
        <fieldset aria-describedby={filterError ? 'inventory-filter-error' : undefined}>
          <legend>Filters</legend>
          {rows.length === 0 && <p className="hint">No filter: every resource is listed.</p>}
          <InventoryFilterEditor rows={rows} onChange={setRows} />
          {filterError && <ErrorMessage error={filterError} id="inventory-filter-error" />}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary">
            Search
          </button>
        </div>
      </form>
      <section aria-labelledby="inventory-results-heading">
        <h2 id="inventory-results-heading">Resources</h2>
        {filterError ? (
          <p>No results: the filters were refused.</p>
        ) : (
          <LoadedView state={state} what="the resource inventory">
            {(page) => (
              <>
                {(page.ResourceInventoryList ?? []).length === 0 ? (
                  <p>
                    {applied.length > 0 ? 'No resource matches these filters.' : 'No resource has been discovered.'}
                  </p>
                ) : (
                  <TableScroll label="Resource list">
                    <table className="inventory-table">
                      <thead>
                        <tr>
                          <th scope="col">Resource ID</th>
                          <th scope="col">Resource type</th>
                          <th scope="col">Account ID</th>
                          <th scope="col">Platform</th>
                          <th scope="col">Platform version</th>
                          <th scope="col">Region</th>
                          <th scope="col">Instance type</th>
                          <th scope="col">Usage operation</th>
                          <th scope="col">
                            <span className="visually-hidden">Actions</span>
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {page.ResourceInventoryList!.map((r) => (
                          <tr key={r.ResourceArn}>
                            <td title={r.ResourceArn}>{r.ResourceId}</td>
                            <td className="nowrap">{r.ResourceType}</td>
                            <td className="nowrap">{r.ResourceOwningAccountId}</td>
                            <td>{r.Platform ?? '—'}</td>
                            <td>{r.PlatformVersion ?? '—'}</td>
                            <td>{r.Region ?? '—'}</td>
                            <td>{r.InstanceType ?? '—'}</td>
                            <td>{r.UsageOperation ?? '—'}</td>
                            <td>
                              <button
                                type="button"
                                aria-label={`Associate self-managed license with ${r.ResourceId}`}
                                onClick={() => setChosen(r)}
                              >
                                Associate
                              </button>
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableScroll>
                )}
                <Pager pager={pager} nextToken={page.NextToken} label="Resource pages" />
              </>
            )}
          </LoadedView>
        )}
      </section>
      {chosen && <AssociateLicense key={chosen.ResourceArn} resource={chosen} onClose={() => setChosen(null)} />}
    </>
  );
}
