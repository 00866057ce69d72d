import { useId } from 'react';
import type { Point, SeriesWindow } from '../metrics/usage-series';
import { TableScroll } from './table-scroll';

const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { left: 44, right: 12, top: 12, bottom: 28 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;
const Y_TICKS = 4;

/** The top of the value axis: a round number at least as large as every value (1 when all are 0). */
export function axisTop(values: readonly number[]): number {
  const max = Math.max(1, ...values);
  const step = 10 ** Math.floor(Math.log10(max));
  const top = [1, 2, 2.5, 5, 10].map((f) => f * step).find((candidate) => candidate >= max)!;
  return top;
}

const timeText = (epochSeconds: number) =>
  new Date(epochSeconds * 1000).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
const valueText = (value: number) => Number(value.toFixed(2)).toLocaleString();

/**
 * A gauge drawn as steps: each value holds from its point until the next one, and the last until the
 * window's end (the usage metrics write a point at every change, and one every hour).
 */
export function stepPath(
  points: readonly Point[],
  x: (time: number) => number,
  y: (value: number) => number,
  end: number,
) {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  let path = `M${x(first.time)},${y(first.value)}`;
  for (const point of rest) path += ` H${x(point.time)} V${y(point.value)}`;
  return `${path} H${x(end)}`;
}

/** The chart's values in words, for its description: each series' range and latest value. */
export function seriesSummary({ series }: SeriesWindow): string {
  return series
    .map(({ label, points }) => {
      if (points.length === 0) return `${label}: no data in this period.`;
      const values = points.map((p) => p.value);
      const last = points[points.length - 1];
      return `${label}: from ${valueText(Math.min(...values))} to ${valueText(Math.max(...values))}, ${valueText(last.value)} at ${timeText(last.time)}.`;
    })
    .join(' ');
}

/**
 * A line chart of gauges over time in inline SVG (attributes and classes only: the console's CSP allows
 * no inline style), with a title and a description of its values for screen readers, a legend, and the
 * values as a table for anyone who would rather read them.
 */
export function LineChart({ title, window: data }: { title: string; window: SeriesWindow }) {
  const id = useId();
  const span = Math.max(1, data.end - data.start);
  const top = axisTop(data.series.flatMap((s) => s.points.map((p) => p.value)));
  const x = (time: number) =>
    MARGIN.left + ((Math.min(Math.max(time, data.start), data.end) - data.start) / span) * PLOT_WIDTH;
  const y = (value: number) => MARGIN.top + PLOT_HEIGHT - (value / top) * PLOT_HEIGHT;
  const times = [...new Set(data.series.flatMap((s) => s.points.map((p) => p.time)))].sort((a, b) => a - b);

  return (
    <figure className="line-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{seriesSummary(data)}</desc>
        {Array.from({ length: Y_TICKS + 1 }, (_, i) => (top / Y_TICKS) * i).map((value) => (
          <g key={value} className="chart-grid">
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(value)} y2={y(value)} />
            <text x={MARGIN.left - 6} y={y(value) + 4} textAnchor="end">
              {valueText(value)}
            </text>
          </g>
        ))}
        <g className="chart-axis">
          <text x={MARGIN.left} y={HEIGHT - 8} textAnchor="start">
            {timeText(data.start)}
          </text>
          <text x={WIDTH - MARGIN.right} y={HEIGHT - 8} textAnchor="end">
            {timeText(data.end)}
          </text>
        </g>
        {data.series.map((s, index) => (
          <g key={s.label} className={`chart-series series-${index}`}>
            <path d={stepPath(s.points, x, y, data.end)} />
            {s.points.length === 1 && <circle cx={x(s.points[0].time)} cy={y(s.points[0].value)} r={3} />}
          </g>
        ))}
      </svg>
      <figcaption>
        <ul className="chart-legend">
          {data.series.map((s, index) => (
            <li key={s.label}>
              <svg width="14" height="14" aria-hidden="true" className={`series-${index}`}>
                <rect width="14" height="14" rx="2" />
              </svg>
              {s.label}
              {s.points.length === 0 && ' (no data in this period)'}
            </li>
          ))}
        </ul>
        <details>
          <summary>{title}: values as a table</summary>
          {times.length === 0 ? (
            <p>No data in this period.</p>
          ) : (
            <TableScroll label={`${title}: values`}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    {data.series.map((s) => (
                      <th key={s.label} scope="col">
                        {s.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {times.map((time) => (
                    <tr key={time}>
                      <th scope="row">{timeText(time)}</th>
                      {data.series.map((s) => {
                        const point = s.points.find((p) => p.time === time);
                        return <td key={s.label}>{point ? valueText(point.value) : '—'}</td>;
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </details>
      </figcaption>
    </figure>
  );
}
