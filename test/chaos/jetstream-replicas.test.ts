import { ensureStream } from '@lm/messaging';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateNatsCluster, type PrivateNatsCluster } from './private-nats';

describe('LM_JETSTREAM_REPLICAS on a three-node cluster', () => {
  let cluster: PrivateNatsCluster;
  let nc: NatsConnection;

  beforeAll(async () => {
    cluster = await startPrivateNatsCluster(3);
    nc = await connect({ servers: cluster.servers });
  });
  afterAll(async () => {
    await nc?.close();
    await cluster?.dispose();
  });

  /** The nodes that keep a stream: its leader and its replicas. */
  const placementOf = async (stream: string) => {
    const { config, cluster: placement } = await (await nc.jetstreamManager()).streams.info(stream);
    const nodes = [placement?.leader, ...(placement?.replicas ?? []).map((replica) => replica.name)];
    return { replicas: config.num_replicas, nodes: nodes.filter(Boolean).length };
  };

  it('scales a stream made with one replica up to three (a deployment moved to a cluster), never down', async () => {
    const stream = { name: 'LM_REPLICAS_TEST', subjects: ['lm-replicas-test.>'] };
    await ensureStream(nc, stream, 1);
    expect(await placementOf(stream.name)).toEqual({ replicas: 1, nodes: 1 });
    await ensureStream(nc, stream, 3);
    expect(await placementOf(stream.name)).toEqual({ replicas: 3, nodes: 3 });
    // A process started without the variable leaves the three copies alone.
    await ensureStream(nc, stream, 1);
    expect(await placementOf(stream.name)).toEqual({ replicas: 3, nodes: 3 });
  });
});
