import type { RunningSystem } from './system';

/** One series of a scrape: its name (with `_bucket`, `_sum`, `_count` for a histogram's lines), labels and value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A scrape of the gateway's GET /metrics: its text and its samples. */
export interface Scrape {
  text: string;
  samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text format; a line that is neither a comment nor a sample fails the parse. */
export function parseExposition(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    if (line === '' || line.startsWith('#')) return [];
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText = '', value] = match;
    const labels: Record<string, string> = {};
    for (const [, label, escaped] of labelText.matchAll(LABEL)) {
      labels[label] = escaped.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
    }
    return [{ name, labels, value: Number(value) }];
  });
}

export async function scrapeMetrics(system: RunningSystem): Promise<Scrape> {
  const response = await fetch(`${system.endpoint}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  return { text, samples: parseExposition(text) };
}

/** The samples of a name whose labels include `labels`. */
export function samplesOf(scrape: Scrape, name: string, labels: Record<string, string> = {}): Sample[] {
  return scrape.samples.filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

/** The sum of the samples of a name whose labels include `labels` (0 when there are none). */
export function sumOf(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  return samplesOf(scrape, name, labels).reduce((sum, sample) => sum + sample.value, 0);
}

/** A metric of each replica of a service, by process id (replicas are `instance="host:pid"`), summed over its other labels. */
export function sumByReplica(
  scrape: Scrape,
  service: string,
  name: string,
  pids: number[],
  labels: Record<string, string> = {},
): number[] {
  const samples = samplesOf(scrape, name, { ...labels, service });
  return pids.map((pid) =>
    samples
      .filter((sample) => Number(sample.labels.instance.split(':').pop()) === pid)
      .reduce((sum, sample) => sum + sample.value, 0),
  );
}
