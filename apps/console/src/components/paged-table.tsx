import type { ReactNode } from 'react';
import { useApi } from '../api/use-api';
import { LoadedView } from './loaded-view';
import { Pager, usePager } from './pager';
import { TableScroll } from './table-scroll';

export interface Column<T> {
  header: string;
  cell(row: T): ReactNode;
}

/**
 * A list an API reads a page at a time with NextToken, shown as a table with its pager: loading, its
 * error, or "not part of this deployment" (the gateway's 501) in its place. `load` reads the page of a
 * token; `dependsOn` is what else the read depends on (a new value starts again at the first page).
 */
export function PagedTable<T>({
  what,
  label,
  load,
  dependsOn = '',
  columns,
  rowKey,
  empty,
}: {
  what: string;
  label: string;
  load(token: string | undefined): Promise<{ rows: T[]; nextToken?: string }>;
  dependsOn?: string;
  columns: Column<T>[];
  rowKey(row: T): string;
  empty: string;
}) {
  const pager = usePager();
  const [state] = useApi(() => load(pager.token), `${dependsOn}|${pager.token}`);
  return (
    <LoadedView state={state} what={what}>
      {(page) =>
        page.rows.length === 0 && pager.page === 1 ? (
          <p>{empty}</p>
        ) : (
          <>
            <TableScroll label={label}>
              <table>
                <thead>
                  <tr>
                    {columns.map((column) => (
                      <th scope="col" key={column.header}>
                        {column.header}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {page.rows.map((row) => (
                    <tr key={rowKey(row)}>
                      {columns.map((column) => (
                        <td key={column.header}>{column.cell(row)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            {(pager.page > 1 || page.nextToken) && (
              <Pager pager={pager} nextToken={page.nextToken} label={`${label} pages`} />
            )}
          </>
        )
      }
    </LoadedView>
  );
}
