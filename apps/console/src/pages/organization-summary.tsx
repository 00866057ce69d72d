import { useApi } from '../api/use-api';
import { LoadedView } from '../components/loaded-view';
import { RowsTable } from '../components/paged-table';
import {
  entitlementText,
  statusesText,
  summarizeOrganizationLicenses,
  type ProductSummary,
} from '../grants/organization-summary';
import { readOrganizationLicenses } from '../grants/read-organization-licenses';
import { useSession } from '../session/session';

/**
 * The guide's License summary (for organization administrators): Totals (products and granted licences
 * across the organization's accounts) and Products, added up from the organization's received licences
 * and grants and each licence's usage. Another account is refused by the API, which the page shows.
 */
export function OrganizationSummary() {
  const { licenseManager } = useSession();
  const [state, reload] = useApi(
    async () => summarizeOrganizationLicenses(await readOrganizationLicenses(licenseManager)),
    'summary',
  );
  return (
    <>
      <button type="button" onClick={reload}>
        Refresh
      </button>
      <LoadedView state={state} what="the organization's license summary">
        {({ totals, products }) => (
          <>
            <section aria-labelledby="org-totals-heading">
              <h2 id="org-totals-heading">Totals</h2>
              <dl className="details">
                <dt>Products</dt>
                <dd data-testid="total-products">{totals.products}</dd>
                <dt>Granted licenses</dt>
                <dd data-testid="total-granted-licenses">{totals.grantedLicenses}</dd>
                <dt>Accounts</dt>
                <dd data-testid="total-accounts">{totals.accounts}</dd>
              </dl>
            </section>
            <section aria-labelledby="org-products-heading">
              <h2 id="org-products-heading">Products</h2>
              {products.length === 0 ? (
                <p>No account of the organization has received a license.</p>
              ) : (
                <RowsTable<ProductSummary>
                  label="Product list"
                  rows={products}
                  rowKey={(p) => JSON.stringify([p.productName, p.productSku])}
                  columns={[
                    { header: 'Product name', cell: (p) => p.productName },
                    { header: 'Product SKU', cell: (p) => p.productSku },
                    { header: 'Licenses', cell: (p) => p.licenses },
                    { header: 'Number of granted licenses', cell: (p) => p.grantedLicenses },
                    { header: 'Accounts', cell: (p) => p.accounts },
                    { header: 'Grant statuses', cell: (p) => statusesText(p.statuses) },
                    { header: 'Entitlement usage', cell: (p) => <EntitlementUsage product={p} /> },
                  ]}
                />
              )}
            </section>
          </>
        )}
      </LoadedView>
    </>
  );
}

function EntitlementUsage({ product }: { product: ProductSummary }) {
  return (
    <>
      {product.entitlements.map((entitlement) => (
        <div key={`${entitlement.name} ${entitlement.unit}`}>{entitlementText(entitlement)}</div>
      ))}
      {product.usageUnread > 0 && (
        <div className="hint">
          Usage of {product.usageUnread} license{product.usageUnread === 1 ? '' : 's'} not shown to this account
        </div>
      )}
    </>
  );
}
