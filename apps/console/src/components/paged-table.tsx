import type { ReactNode } from 'react';
import { useApi, type Loaded } from '../api/use-api';
import { LoadedView } from './loaded-view';
import { Pager, usePager } from './pager';
import { TableScroll } from './table-scroll';

export interface Column<T> {
  header: string;
  /** The header seen by screen readers only (an actions column's). */
  hiddenHeader?: boolean;
  /** The cells' class ("arn": a long identifier that may break anywhere). */
  className?: string;
  cell(row: T): ReactNode;
}

interface TableProps<T> {
  /** What is read, in words ("the identity providers"): what is loading, or not part of this deployment. */
  what: string;
  /** The table's scroll box's name ("Identity provider list"). */
  label: string;
  /** The table's caption for screen readers, when the heading above it does not say what it lists. */
  caption?: string;
  /** The pager's name; `<label> pages` unless given. */
  pagerLabel?: string;
  columns: Column<T>[];
  rowKey(row: T): string;
  /** What a first page without rows says; nothing when not given. */
  empty?: string;
}

/**
 * A list an API reads a page at a time with NextToken, shown as a table with its pager: loading, its
 * error, or "not part of this deployment" (the gateway's 501) in its place. `load` reads the page of a
 * token; `dependsOn` is what else the read depends on (a new value starts again at the first page).
 */
export function PagedTable<T>({
  load,
  dependsOn = '',
  ...table
}: TableProps<T> & {
  load(token: string | undefined): Promise<{ rows: T[]; nextToken?: string }>;
  dependsOn?: string;
}) {
  const pager = usePager();
  const [state] = useApi(() => load(pager.token), `${dependsOn}|${pager.token}`);
  return <PagedRows state={state} pager={pager} pageOf={(page) => page} {...table} />;
}

/**
 * A page a caller has read (its state and its pager, when other parts of the page read it again):
 * its rows as a table with the pager, or `empty` on a first page without rows. `pageOf` takes the
 * rows and next token out of the API's answer.
 */
export function PagedRows<T, P>({
  state,
  pager,
  pageOf,
  what,
  label,
  caption,
  pagerLabel = `${label} pages`,
  columns,
  rowKey,
  empty,
}: TableProps<T> & {
  state: Loaded<P>;
  pager: ReturnType<typeof usePager>;
  pageOf(page: P): { rows: T[]; nextToken?: string };
}) {
  return (
    <LoadedView state={state} what={what}>
      {(answer) => {
        const page = pageOf(answer);
        return page.rows.length === 0 && pager.page === 1 ? (
          empty && <p>{empty}</p>
        ) : (
          <>
            <RowsTable label={label} caption={caption} columns={columns} rows={page.rows} rowKey={rowKey} />
            {(pager.page > 1 || page.nextToken) && (
              <Pager pager={pager} nextToken={page.nextToken} label={pagerLabel} />
            )}
          </>
        );
      }}
    </LoadedView>
  );
}

/** Rows as a table, a column per `columns`, in its sideways-scrolling box named `label`. */
export function RowsTable<T>({
  label,
  caption,
  columns,
  rows,
  rowKey,
}: Pick<TableProps<T>, 'label' | 'caption' | 'columns' | 'rowKey'> & { rows: T[] }) {
  return (
    <TableScroll label={label}>
      <table>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column.header}>
                {column.hiddenHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.header} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
