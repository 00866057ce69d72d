import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { samplesOf, scrapeMetrics } from '../support/metrics';
import type { RunningSystem } from '../support/system';

/** The usage-metrics projection's name in reporting's processed-events ledger. */
export const USAGE_METRICS_CONSUMER = 'reporting-usage-metrics';
/** Reporting's durable consumer of licensing's events, which the usage-metrics projection shares. */
const LICENSING_EVENTS_CONSUMER = 'reporting-licensing-events';

/** What the projection looked like at one moment. */
export interface ProjectionSample {
  /** Milliseconds since the probe started. */
  atMs: number;
  /** Licensing's events recorded so far (its event store's rows): what the consumer will receive. */
  produced: number;
  /** Events the consumer has applied (its rows in reporting's processed-events ledger). */
  ingested: number;
  /**
   * `lm_consumer_pending_messages` of the consumer, as the gateway's /metrics shows it: events
   * licensing's relay has published that the consumer has not acknowledged (its own backlog);
   * undefined if the scrape failed.
   */
  pendingMessages?: number;
  /**
   * `lm_event_store_checkpoint_lag_seconds` of licensing's relay to JetStream: events recorded and
   * not yet published are behind without being pending for the consumer.
   */
  relayLagSeconds?: number;
  /** Age of the oldest licensing event the consumer has not applied yet; 0 when it has applied them all. */
  lagSeconds: number;
}

/**
 * Reads how far reporting's usage-metrics consumer is behind licensing. The counts come from the
 * two services' own tables, so they are exact: the consumer writes its ledger row in the
 * transaction that applies the event (each event counted once, however often it is delivered),
 * and every event licensing records is relayed to the subject the consumer follows. The pending
 * messages come from /metrics, as an operator would see them.
 */
export class ProjectionProbe {
  /** A pool: the drain check samples while the once-a-second sampler may be sampling too. */
  private readonly db: Pool;
  private readonly startedAt = performance.now();

  constructor(private readonly system: RunningSystem) {
    this.db = new Pool({ connectionString: system.databaseUrl, max: 2 });
  }

  async sample(): Promise<ProjectionSample> {
    const atMs = performance.now() - this.startedAt;
    // One statement, so that both counts and the lag are of one snapshot.
    const [{ rows }, scraped] = await Promise.all([
      this.db.query<{ produced: string; ingested: string; age: number | null }>(
        `select (select count(*) from licensing.events) as produced,
                (select count(*) from reporting.processed_events where consumer = $1) as ingested,
                (select extract(epoch from clock_timestamp() - min(e.recorded_at))::float8
                 from licensing.events e
                 where not exists (select 1 from reporting.processed_events p
                                   where p.consumer = $1
                                     and p.message_id = 'licensing:' || e.stream_name || ':' || e.stream_version)
                ) as age`,
        [USAGE_METRICS_CONSUMER],
      ),
      this.scrape(),
    ]);
    const [row] = rows;
    return {
      atMs,
      produced: Number(row.produced),
      ingested: Number(row.ingested),
      ...scraped,
      lagSeconds: Math.max(0, row.age ?? 0),
    };
  }

  close(): Promise<void> {
    return this.db.end();
  }

  /** A failed scrape leaves a gap rather than failing the run: the counts above are what the run checks. */
  private async scrape(): Promise<Pick<ProjectionSample, 'pendingMessages' | 'relayLagSeconds'>> {
    try {
      const scrape = await scrapeMetrics(this.system);
      // Every replica reports the same values (the consumer and the relay's checkpoint are shared).
      const highest = (name: string, labels: Record<string, string>) => {
        const values = samplesOf(scrape, name, labels).map((s) => s.value);
        return values.length > 0 ? Math.max(...values) : undefined;
      };
      return {
        pendingMessages: highest('lm_consumer_pending_messages', { consumer: LICENSING_EVENTS_CONSUMER }),
        relayLagSeconds: highest('lm_event_store_checkpoint_lag_seconds', {
          service: 'licensing',
          checkpoint: 'relay:jetstream',
        }),
      };
    } catch {
      return {};
    }
  }
}

/**
 * Samples the probe once a second (each sample starts on its second, or at once when the previous
 * one overran) until `stop` is called; resolves with the samples taken.
 */
export function sampleEverySecond(probe: ProjectionProbe): { stop(): Promise<ProjectionSample[]> } {
  const samples: ProjectionSample[] = [];
  let running = true;
  const loop = (async () => {
    const start = performance.now();
    for (let tick = 0; running; tick += 1) {
      samples.push(await probe.sample());
      const wait = start + (tick + 1) * 1_000 - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}
