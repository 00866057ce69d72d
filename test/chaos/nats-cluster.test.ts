import { setTimeout as sleep } from 'node:timers/promises';
import { BUILT_SERVICES } from '@lm/contracts';
import { auditStreamName, eventsStreamName } from '@lm/messaging';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unansweredOutside, withSystemDatabase } from '../support/crash';
import { startSystem, type RunningSystem } from '../support/system';
import {
  CLIENT_TIMEOUT_MS,
  eventually,
  isServiceUnavailable,
  MixedWriteLoad,
  watchHealth,
  type WriteCounts,
} from './mixed-write-load';
import { startPrivateNatsCluster, type PrivateNatsCluster, type PrivateNatsNode } from './private-nats';

/**
 * The gateway's operation timeout here: a request lost with the node is answered 503 after it.
 * Long enough for the load's preparing reports (25 instances each) on a loaded machine.
 */
const OPERATION_TIMEOUT_MS = 8_000;
/**
 * How long after the kill requests may still go unanswered (503): the operation timeout of a
 * request lost with the node, the clients' reconnection to another (a second apart) and the
 * election of new stream and consumer leaders by the two nodes left.
 */
const FAILOVER_MS = 15_000;
/** How long the node stays down: the system must go on well past its failover without it. */
const NODE_DOWN_MS = 25_000;

/** The names of the system's NATS connections: the gateway's, and each service's requests and chassis. */
const SYSTEM_CONNECTIONS = ['gateway', ...BUILT_SERVICES.flatMap((service) => [service, `${service}-chassis`])];

/** The names of the connections a node holds, from its monitoring endpoint. */
async function connectionsOf(node: PrivateNatsNode): Promise<string[]> {
  const connz = (await (await fetch(`${node.monitorUrl}/connz?limit=1024`)).json()) as {
    connections?: { name?: string }[];
  };
  return (connz.connections ?? []).map((connection) => connection.name ?? '');
}

/** Moves the leadership of a stream to `node`: leaders step down until JetStream elects it. */
async function makeLeader(nc: NatsConnection, stream: string, node: PrivateNatsNode): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await eventually(async () => {
    const { cluster } = await jsm.streams.info(stream);
    if (cluster?.leader === node.name) return;
    if (cluster?.leader) await nc.request(`$JS.API.STREAM.LEADER.STEPDOWN.${stream}`, undefined, { timeout: 5_000 });
    throw new Error(`${stream} is led by ${cluster?.leader}, not ${node.name}`);
  });
}

const NONE: WriteCounts = { associated: 0, checkedOut: 0, reported: 0 };

/** Every kind of write has more acknowledged in `now` than `since`. */
function expectWentOn(now: WriteCounts, since: WriteCounts): void {
  const stalled = (Object.keys(since) as (keyof WriteCounts)[]).filter((kind) => now[kind] <= since[kind]);
  expect(stalled, `${JSON.stringify(now)} since ${JSON.stringify(since)}`).toEqual([]);
}

/** Rows of licensing's copy of the inventory: grows while discovery's events reach it through JetStream. */
const licensingResources = (system: RunningSystem) =>
  withSystemDatabase(
    system,
    async (db) => (await db.query('select count(*)::int as n from licensing.resources')).rows[0].n as number,
  );

describe('a three-node NATS cluster losing a node in the middle of a mixed write load', () => {
  let cluster: PrivateNatsCluster;
  let system: RunningSystem;
  let nc: NatsConnection;

  beforeAll(async () => {
    // Servers of this test's own: the machine's shared one is never touched.
    cluster = await startPrivateNatsCluster(3);
    system = await startSystem(
      {
        NATS_URL: cluster.servers.join(','),
        LM_JETSTREAM_REPLICAS: '3',
        LM_OPERATION_TIMEOUT_MS: String(OPERATION_TIMEOUT_MS),
      },
      // Each stream and consumer a process creates at start is agreed by three servers: on a loaded machine, minutes.
      { startTimeoutMs: 150_000 },
    );
    nc = await connect({ servers: cluster.servers });
  });
  afterAll(async () => {
    await nc?.close();
    await system?.stop();
    await cluster?.dispose();
  });

  it('keeps every stream on all three nodes', async () => {
    const jsm = await nc.jetstreamManager();
    for (const stream of [eventsStreamName(system.natsNamespace), auditStreamName(system.natsNamespace)]) {
      const { config, cluster: placement } = await jsm.streams.info(stream);
      expect(config.num_replicas).toBe(3);
      expect([placement?.leader, ...(placement?.replicas ?? []).map((replica) => replica.name)].sort(), stream).toEqual(
        cluster.nodes.map((node) => node.name).sort(),
      );
    }
  });

  it('fails over to the other nodes, goes on without the killed one, and loses or repeats nothing', async () => {
    // Instances enough that the associating clients never run out before the end: on a quiet
    // machine they associated the default 600 before the node was killed, and could not be seen going on.
    const load = await MixedWriteLoad.prepare(system, 4_000);
    const events = eventsStreamName(system.natsNamespace);
    // The worst node to lose: the one the gateway talks through, leading the events stream.
    const holdsGateway = await Promise.all(
      cluster.nodes.map(async (node) => (await connectionsOf(node)).includes('gateway')),
    );
    const victim = cluster.nodes[holdsGateway.indexOf(true)];
    expect(victim).toBeDefined();
    const survivors = cluster.nodes.filter((node) => node !== victim);
    await makeLeader(nc, events, victim);

    let running = true;
    const loading = load.run(() => running);
    loading.catch(() => undefined);
    const health = watchHealth(system, () => running);
    // The kill falls on the load in full swing: every kind of write acknowledged already.
    await eventually(async () => expectWentOn(load.counts(), NONE));

    const inFlightAtKill = load.record.inFlight;
    const before = load.counts();
    const killedAt = Date.now();
    await victim.stop('SIGKILL');
    await sleep(FAILOVER_MS);
    const failedOverAt = Date.now();
    const afterFailover = load.counts();
    const copiedAfterFailover = await licensingResources(system);
    await sleep(NODE_DOWN_MS - FAILOVER_MS);
    // Every connection of the system found another node by itself.
    const connectedWithoutVictim = (await Promise.all(survivors.map(connectionsOf))).flat();
    const copiedWithoutVictim = await licensingResources(system);
    const withoutVictim = load.counts();
    await victim.start();
    // It catches up with what the others took while it was down, and the stream is whole on three nodes again.
    await eventually(async () => {
      const { cluster: placement } = await (await nc.jetstreamManager()).streams.info(events);
      expect(placement?.leader).toBeDefined();
      expect(placement?.replicas).toHaveLength(2);
      expect(placement?.replicas?.filter((replica) => !replica.current)).toEqual([]);
    });
    // And the load goes on with the three.
    await eventually(async () => expectWentOn(load.counts(), withoutVictim));
    running = false;
    await loading;
    const samples = await health;
    const after = load.counts();

    const lastUnanswered = Math.max(killedAt, ...load.record.unanswered.map((attempt) => attempt.endedAt));
    console.log(
      `${victim.name} killed with ${inFlightAtKill} requests in flight: ${load.record.unanswered.length} attempts ` +
        `unanswered (the last ${lastUnanswered - killedAt} ms after the kill), longest attempt ${load.longestAttemptMs} ms; ` +
        `writes ${JSON.stringify(before)} before, ${JSON.stringify(withoutVictim)} with the node down, ${JSON.stringify(after)} at the end`,
    );
    // The kill hit live traffic; what it left unanswered was a clear 503, within the failover, none hanging.
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(load.record.unanswered.filter((attempt) => !isServiceUnavailable(attempt))).toEqual([]);
    expect(unansweredOutside(load.record, { killedAt, restoredAt: failedOverAt, inFlightAtKill })).toEqual([]);
    expect(load.longestAttemptMs).toBeLessThan(CLIENT_TIMEOUT_MS);
    // Every kind of write went on before the kill, on the two nodes left, and with the third back.
    expectWentOn(before, NONE);
    expectWentOn(withoutVictim, afterFailover);
    expectWentOn(after, withoutVictim);
    // Relays and consumers went on without the node: discovery's events reached licensing's copy.
    expect(copiedWithoutVictim).toBeGreaterThan(copiedAfterFailover);
    expect(SYSTEM_CONNECTIONS.filter((name) => !connectedWithoutVictim.includes(name))).toEqual([]);

    // /health stayed healthy once the clients had failed over, and after the node came back.
    const settled = samples.filter((sample) => sample.at > failedOverAt);
    expect(settled.length).toBeGreaterThan(0);
    expect(settled.filter((sample) => sample.status !== 200)).toEqual([]);

    await load.expectNothingLost(cluster.servers);
  });
});
