import { useReducer, useState } from 'react';
import { listOf, ActionForm, textOf } from '../components/action-form';
import { PagedTable } from '../components/paged-table';
import { RowAction } from '../components/row-action';
import { TextField } from '../components/text-field';
import { useSession } from '../session/session';
import { clientToken } from './client-token';

const PAGE_SIZE = 10;

/**
 * The refresh tokens of a licence for a customer without an account (CreateToken, ListTokens,
 * DeleteToken). A new token's text is shown once, in this component's state only: the API never
 * lists it again, and the console keeps it nowhere else (Dismiss forgets it).
 */
export function LicenseTokens({ licenseArn }: { licenseArn: string }) {
  const { licenseManager: client } = useSession();
  const [created, setCreated] = useState<{ id?: string; token?: string } | null>(null);
  const [version, changed] = useReducer((n: number) => n + 1, 0);
  return (
    <>
      <PagedTable
        what="the tokens"
        label="Token list"
        empty="No token for this license."
        dependsOn={`${licenseArn}|${version}`}
        load={async (NextToken) => {
          const page = await client.call('ListTokens', {
            Filters: [{ Name: 'LicenseArns', Values: [licenseArn] }],
            MaxResults: PAGE_SIZE,
            NextToken,
          });
          return { rows: page.Tokens ?? [], nextToken: page.NextToken };
        }}
        rowKey={(t) => t.TokenId ?? ''}
        columns={[
          { header: 'Token ID', cell: (t) => t.TokenId },
          { header: 'Status', cell: (t) => t.Status ?? '—' },
          { header: 'Expires', cell: (t) => t.ExpirationTime ?? '—' },
          { header: 'Roles', cell: (t) => (t.RoleArns ?? []).join(', ') || '—' },
          {
            header: 'Actions',
            cell: (t) =>
              t.Status !== 'DELETED' && (
                <RowAction
                  label="Delete token"
                  target={t.TokenId ?? ''}
                  confirm="The customer holding this token can no longer get access tokens with it."
                  run={() => client.call('DeleteToken', { TokenId: t.TokenId! })}
                  onDone={changed}
                />
              ),
          },
        ]}
      />
      {created && (
        <div role="status">
          <p>Token {created.id} created. Copy it now: it is not shown again.</p>
          <label htmlFor="created-token">Token</label>
          <textarea id="created-token" readOnly rows={4} value={created.token} />
          <button type="button" onClick={() => setCreated(null)}>
            Dismiss
          </button>
        </div>
      )}
      <ActionForm
        legend="Create token"
        submitLabel="Create token"
        submit={async (form) => {
          setCreated(null);
          const days = textOf(form, 'days');
          const answer = await client.call('CreateToken', {
            LicenseArn: licenseArn,
            ExpirationInDays: days ? Number(days) : undefined,
            RoleArns: listOf(form, 'roles'),
            ClientToken: clientToken(),
          });
          setCreated({ id: answer.TokenId, token: answer.Token });
        }}
        onDone={changed}
      >
        <TextField
          id="token-days"
          name="days"
          label="Expiration in days (optional, 365 unless given)"
          inputMode="numeric"
        />
        <TextField id="token-roles" name="roles" label="IAM role ARNs (optional, comma-separated)" />
      </ActionForm>
    </>
  );
}
