import { useId, useState } from 'react';
import { useApi } from '../api/use-api';
import { TIME_RANGES, type SeriesWindow, type TimeRange } from '../metrics/usage-series';
import { LineChart } from './line-chart';
import { LoadedView } from './loaded-view';

/**
 * A section charting usage metrics over a time window the user picks (the last hours or days). The
 * metrics are reporting's, another service: the section loads, fails or is not part of the deployment
 * on its own, and Reload chart reads them again.
 */
export function UsageOverTime({
  heading,
  title,
  read,
  dependsOn,
  level = 2,
}: {
  heading: string;
  /** The heading's level: 3 inside a section of its own. */
  level?: 2 | 3;
  /** What the chart shows, for its title: "Licenses consumed over time". */
  title: string;
  read(range: TimeRange, now: number): Promise<SeriesWindow>;
  /** What the read depends on besides the window (a key: it reads again when this changes). */
  dependsOn: string;
}) {
  const id = useId();
  const Heading = level === 3 ? 'h3' : 'h2';
  const [rangeId, setRangeId] = useState(TIME_RANGES[0].id);
  const range = TIME_RANGES.find((r) => r.id === rangeId)!;
  const [state, reload] = useApi(() => read(range, Date.now() / 1000), `${dependsOn}|${rangeId}`);

  return (
    <section aria-labelledby={`${id}-heading`} className="usage-over-time">
      <div className="page-heading">
        <Heading id={`${id}-heading`}>{heading}</Heading>
        <div className="chart-controls">
          <div className="field">
            <label htmlFor={`${id}-range`}>Period</label>
            <select id={`${id}-range`} value={rangeId} onChange={(e) => setRangeId(e.target.value)}>
              {TIME_RANGES.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          {/* Not "Refresh": the page's own Refresh reads the chart again too; this reads only the chart. */}
          <button type="button" onClick={reload}>
            Reload chart
          </button>
        </div>
      </div>
      <LoadedView state={state} what="usage metrics">
        {(data) => <LineChart title={title} window={data} />}
      </LoadedView>
    </section>
  );
}
