import type { Loaded } from '../api/use-api';
import { LoadedView } from '../components/loaded-view';
import { TableScroll } from '../components/table-scroll';
import { MAX_COUNTED, type PlatformCount } from '../inventory/resources-by-platform';

/** The dashboard's resources by platform, from the resource inventory. */
export function PlatformsSection({ state }: { state: Loaded<{ counts: PlatformCount[]; complete: boolean }> }) {
  return (
    <section aria-labelledby="platforms-heading">
      <h2 id="platforms-heading">Resources by platform</h2>
      <LoadedView state={state} what="the resource inventory">
        {({ counts, complete }) =>
          counts.length === 0 ? (
            <p>No resource has been reported to the inventory.</p>
          ) : (
            <TableScroll label="Platform counts">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Platform</th>
                    <th scope="col">Resources</th>
                  </tr>
                </thead>
                <tbody>
                  {counts.map((count) => (
                    <tr key={count.platform}>
                      <td>{count.platform}</td>
                      <td>{count.resources}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {!complete && (
                <p className="muted">Counted over the first {MAX_COUNTED.toLocaleString('en')} resources.</p>
              )}
            </TableScroll>
          )
        }
      </LoadedView>
    </section>
  );
}
