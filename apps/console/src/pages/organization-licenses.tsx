import { useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { PagedTable } from '../components/paged-table';
import { grantStatusLabel, licenseStatusLabel } from '../grants/grant-status';
import { describePrincipal } from '../grants/principal';
import { useSession } from '../session/session';

const PAGE_SIZE = 10;

/**
 * The organization administrator's views (the management account's): the licences any account of
 * the organization received (ListReceivedLicensesForOrganization), and a licence's grants to them
 * (ListReceivedGrantsForOrganization). Another account is refused by the API, which the page shows.
 */
export function OrganizationLicenses() {
  const { licenseManager } = useSession();
  const [license, setLicense] = useState<LicenseManager.GrantedLicense | null>(null);
  return (
    <>
      <section aria-labelledby="org-licenses-heading">
        <h2 id="org-licenses-heading">Aggregated licenses</h2>
        <PagedTable
          what="the organization's licenses"
          label="Organization license list"
          empty="No account of the organization has received a license."
          load={async (NextToken) => {
            const page = await licenseManager.call('ListReceivedLicensesForOrganization', {
              MaxResults: PAGE_SIZE,
              NextToken,
            });
            return { rows: page.Licenses ?? [], nextToken: page.NextToken };
          }}
          rowKey={(l) => l.LicenseArn ?? ''}
          columns={[
            { header: 'License name', cell: (l) => l.LicenseName },
            { header: 'Product SKU', cell: (l) => l.ProductSKU },
            { header: 'Issuer', cell: (l) => l.Issuer?.Name },
            { header: 'License status', cell: (l) => licenseStatusLabel(l.Status) },
            {
              header: 'Grants',
              cell: (l) => (
                <button type="button" onClick={() => setLicense(l)}>
                  Grants of {l.LicenseName}
                </button>
              ),
            },
          ]}
        />
      </section>
      {license && (
        <section aria-labelledby="org-grants-heading">
          <h2 id="org-grants-heading">Grants of {license.LicenseName} in the organization</h2>
          <PagedTable
            what="the organization's grants"
            label="Organization grant list"
            empty="No grant of this license reaches the organization."
            dependsOn={license.LicenseArn}
            load={async (NextToken) => {
              const page = await licenseManager.call('ListReceivedGrantsForOrganization', {
                LicenseArn: license.LicenseArn!,
                MaxResults: PAGE_SIZE,
                NextToken,
              });
              return { rows: page.Grants ?? [], nextToken: page.NextToken };
            }}
            rowKey={(g) => g.GrantArn}
            columns={[
              { header: 'Grant name', cell: (g) => g.GrantName },
              { header: 'Recipient', cell: (g) => describePrincipal(g.GranteePrincipalArn) },
              { header: 'Status', cell: (g) => grantStatusLabel(g.GrantStatus) },
              { header: 'Version', cell: (g) => g.Version },
            ]}
          />
        </section>
      )}
    </>
  );
}
