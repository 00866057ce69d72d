import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DURABLE_CONSUMER_BATCH_SIZE } from '@lm/messaging';
import { startSystem, type RunningSystem } from '../support/system';
import { generateAccounts, writeCredentialsFile, type CredentialsFile } from './load-accounts';
import { expectOk, expectSane } from './load-checks';
import { runLoad, type LoadResult } from './measure';
import { ProjectionProbe, sampleEverySecond, USAGE_METRICS_CONSUMER, type ProjectionSample } from './projection-probe';
import { figures, formatTable, percent } from './table';
import { clientsOf, createLoadAgent, type SignedHttpClient } from './signed-http-client';

const CLIENTS = 16;
const LOAD_MS = 20_000;
/** Long enough for any backlog a 20-second run can build on a slow machine; never reached when reporting keeps up. */
const DRAIN_LIMIT_MS = 300_000;
/** The services take LM_CONSUMER_BATCH_SIZE from the bench's environment, e.g. 1 to compare with one event per transaction. */
const BATCH_SIZE = Number(process.env.LM_CONSUMER_BATCH_SIZE ?? DURABLE_CONSUMER_BATCH_SIZE);
/**
 * The bound "reporting keeps up" is held to: the oldest event not yet applied is never older than
 * this during the load, and everything is applied within it once the load stops. A consumer that
 * cannot keep up builds a backlog that ages through the whole run, far past it; one that keeps up
 * stays a batch or two (and the relay's round trip) behind, whatever the run's length.
 */
const LAG_BOUND_SECONDS = 5;
const RESULTS_FILE = join(__dirname, 'results/projection-cost.json');
/** The default quota of 25 configurations per account would stop each client within its first second. */
const QUOTA_FOR_THE_RUN = '1000000';

interface ProjectionCost {
  load: LoadResult;
  loadSeconds: number;
  /** Licensing's events per second over the load. */
  producedPerSecond: number;
  /** Events reporting applied per second over the load. */
  ingestedPerSecond: number;
  /**
   * Events published to JetStream for the consumer per second over the load (applied + its
   * backlog): what reporting receives, licensing's relay lag aside.
   */
  relayedPerSecond?: number;
  /** Events produced during the run. */
  produced: number;
  /** Events licensing recorded and reporting had not applied, at most during the load (the lag in events). */
  maxBehind: number;
  maxPendingMessages?: number;
  maxLagSeconds: number;
  maxRelayLagSeconds?: number;
  /** The lag when the load stopped. */
  finalBehind: number;
  finalPendingMessages?: number;
  finalLagSeconds: number;
  /** From the end of the load until reporting had applied every event; undefined if it never did. */
  drainSeconds?: number;
  samples: ProjectionSample[];
}

const perSecond = (from: ProjectionSample, to: ProjectionSample, count: (s: ProjectionSample) => number) =>
  (count(to) - count(from)) / Math.max(0.001, (to.atMs - from.atMs) / 1_000);

const maxOf = (values: (number | undefined)[]) => {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
};

const shown = (value: number | undefined, digits = 0) => (value === undefined ? '-' : value.toFixed(digits));

/** Events published to JetStream for the consumer so far: those it applied and its backlog. */
const relayed = (sample: ProjectionSample) =>
  sample.pendingMessages === undefined ? undefined : sample.ingested + sample.pendingMessages;

const behind = (sample: ProjectionSample) => sample.produced - sample.ingested;

const keepsUp = (cost: ProjectionCost) =>
  cost.maxLagSeconds <= LAG_BOUND_SECONDS && cost.drainSeconds !== undefined && cost.drainSeconds <= LAG_BOUND_SECONDS;

function formatReport(cost: ProjectionCost): string {
  const [req, p50, p99, err] = figures(cost.load);
  const rows = cost.samples
    .slice(1)
    .map((sample, i) => [
      (sample.atMs / 1_000).toFixed(1),
      perSecond(cost.samples[i], sample, (s) => s.produced).toFixed(0),
      perSecond(cost.samples[i], sample, (s) => s.ingested).toFixed(0),
      String(behind(sample)),
      shown(sample.pendingMessages),
      shown(sample.relayLagSeconds, 1),
      sample.lagSeconds.toFixed(1),
    ]);
  return [
    `Cost of the usage-metrics projection: licensing's events (CreateLicenseConfiguration, then UpdateLicenseConfiguration of its LicenseCount,`,
    `${CLIENTS} clients in ${CLIENTS} accounts, SigV4 lean awsJson client) and reporting's durable consumer ${USAGE_METRICS_CONSUMER} applying them`,
    `(${availableParallelism()} cores; ${cost.loadSeconds.toFixed(1)} s of load, then until reporting has applied every event)`,
    '',
    `  Create/Update req/s ${req}, p50 ${p50} ms, p99 ${p99} ms, errors ${err}`,
    `  licensing events produced/s  ${cost.producedPerSecond.toFixed(0)} (relayed to JetStream/s ${shown(cost.relayedPerSecond)})`,
    `  reporting events ingested/s  ${cost.ingestedPerSecond.toFixed(0)} during the load (${percent(cost.ingestedPerSecond / cost.producedPerSecond)} of produced)`,
    `  lag, max                     ${cost.maxBehind} events behind: ${shown(cost.maxPendingMessages)} pending messages, ${cost.maxLagSeconds.toFixed(1)} s (relay to JetStream ${shown(cost.maxRelayLagSeconds, 1)} s)`,
    `  lag when the load stopped    ${cost.finalBehind} events behind: ${shown(cost.finalPendingMessages)} pending messages, ${cost.finalLagSeconds.toFixed(1)} s`,
    `  drained                      ${cost.drainSeconds === undefined ? `NEVER within ${DRAIN_LIMIT_MS / 1_000} s` : `${cost.drainSeconds.toFixed(1)} s after the load stopped (${cost.produced} events, each applied once)`}`,
    '',
    `Target: reporting keeps up (lag at most ${LAG_BOUND_SECONDS} s during the load, drained within ${LAG_BOUND_SECONDS} s after it): ${keepsUp(cost) ? 'PASS' : 'MISS'}`,
    `  reporting's consumer alone: ingested ${cost.relayedPerSecond ? percent(cost.ingestedPerSecond / cost.relayedPerSecond) : '-'} of what licensing's relay published for it,`,
    `  its backlog at most ${shown(cost.maxPendingMessages)} messages (it applies up to ${BATCH_SIZE} delivered events per transaction)`,
    '',
    'Lag: events behind = recorded by licensing, not yet applied by reporting; pending messages = those of them',
    "JetStream holds for the consumer (lm_consumer_pending_messages: the consumer's own backlog, the rest being",
    "licensing's relay's); s = age of the oldest event licensing recorded that reporting has not applied.",
    'Each second (t: seconds since the first sample; behind: events recorded by licensing, not yet applied by reporting):',
    ...formatTable(['t', 'produced/s', 'ingested/s', 'behind', 'pending msgs', 'relay lag s', 'lag s'], rows).map(
      (l) => `  ${l}`,
    ),
  ].join('\n');
}

describe('cost of the usage-metrics projection', () => {
  const accounts = generateAccounts(CLIENTS);
  const agent = createLoadAgent();
  let credentialsFile: CredentialsFile;
  let system: RunningSystem;
  let clients: SignedHttpClient[];
  let probe: ProjectionProbe;
  let cost: ProjectionCost | undefined;

  beforeAll(async () => {
    credentialsFile = await writeCredentialsFile(accounts);
    system = await startSystem({
      LM_CREDENTIALS_FILE: credentialsFile.path,
      LM_QUOTA_LICENSE_CONFIGURATIONS: QUOTA_FOR_THE_RUN,
    });
    clients = clientsOf(system, accounts, agent);
    probe = new ProjectionProbe(system);
  });

  afterAll(async () => {
    if (cost) {
      console.log(formatReport(cost));
      mkdirSync(dirname(RESULTS_FILE), { recursive: true });
      writeFileSync(
        RESULTS_FILE,
        `${JSON.stringify({ measuredAt: new Date().toISOString(), cores: availableParallelism(), node: process.version, ...cost }, null, 2)}\n`,
      );
    }
    await probe?.close();
    agent.destroy();
    await system?.stop();
    await credentialsFile?.remove();
  });

  it(`measures reporting's ingestion beside licensing's production at ${CLIENTS} clients, and sees every event applied once`, async () => {
    /** The configuration each client created last, and whether its count was changed since. */
    const latest: { arn: string; updated: boolean }[] = [];
    let created = 0;
    // A new configuration (a new stream for reporting to follow), then a change of its count (an
    // event on a stream it already holds, which moves its total usage gauge), and again.
    const createOrUpdate = async (client: number) => {
      const own = latest[client];
      if (own && !own.updated) {
        own.updated = true;
        expectOk(
          await clients[client].call('UpdateLicenseConfiguration', {
            LicenseConfigurationArn: own.arn,
            LicenseCount: 200,
          }),
        );
        return;
      }
      const body = expectOk(
        await clients[client].call('CreateLicenseConfiguration', {
          Name: `projection-${client}-${(created += 1)}`,
          LicenseCountingType: 'vCPU',
          LicenseCount: 100,
        }),
      );
      latest[client] = { arn: JSON.parse(body).LicenseConfigurationArn, updated: false };
    };
    const sampler = sampleEverySecond(probe);
    const before = await probe.sample();
    const load = await runLoad(createOrUpdate, { clients: CLIENTS, warmupMs: 0, durationMs: LOAD_MS });
    const stopped = await probe.sample();

    // After the load: until reporting has applied every event licensing recorded.
    let drained: ProjectionSample | undefined;
    for (const deadline = performance.now() + DRAIN_LIMIT_MS; performance.now() < deadline; await sleep(250)) {
      const now = await probe.sample();
      if (now.ingested >= now.produced) {
        drained = now;
        break;
      }
    }
    const samples = await sampler.stop();
    const duringLoad = [before, ...samples.filter((s) => s.atMs <= stopped.atMs), stopped];
    // The consumer's backlog is on /metrics once the chassis has read it: from its first value on.
    const relayedFirst = relayed(stopped) === undefined ? undefined : duringLoad.find((s) => relayed(s) !== undefined);
    cost = {
      load,
      loadSeconds: (stopped.atMs - before.atMs) / 1_000,
      producedPerSecond: perSecond(before, stopped, (s) => s.produced),
      ingestedPerSecond: perSecond(before, stopped, (s) => s.ingested),
      relayedPerSecond: relayedFirst && perSecond(relayedFirst, stopped, (s) => relayed(s)!),
      produced: (drained ?? samples[samples.length - 1]).produced - before.produced,
      maxBehind: Math.max(...duringLoad.map(behind)),
      maxPendingMessages: maxOf(duringLoad.map((s) => s.pendingMessages)),
      maxRelayLagSeconds: maxOf(duringLoad.map((s) => s.relayLagSeconds)),
      maxLagSeconds: Math.max(0, ...duringLoad.map((s) => s.lagSeconds)),
      finalBehind: behind(stopped),
      finalPendingMessages: stopped.pendingMessages,
      finalLagSeconds: stopped.lagSeconds,
      drainSeconds: drained && (drained.atMs - stopped.atMs) / 1_000,
      samples,
    };

    expectSane(load);
    // Correctness, not speed: every event licensing recorded is applied, exactly once (the ledger
    // has one row per event, so more rows than events would be a double count).
    expect(drained, `reporting still behind after ${DRAIN_LIMIT_MS / 1_000} s`).toBeDefined();
    expect(drained!.ingested).toBe(drained!.produced);
    expect(cost.produced).toBeGreaterThanOrEqual(load.requests);
  });
});
