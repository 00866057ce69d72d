import type { NatsConnection, StreamConfig, StreamInfo } from 'nats';

/** The most replicas JetStream keeps of a stream. */
const MAX_REPLICAS = 5;

/**
 * LM_JETSTREAM_REPLICAS: on how many servers of a NATS cluster JetStream keeps each of the
 * system's streams (events and audit records) and their durable consumers, which follow their
 * stream. 1 (the default) for a single server; 3 for a three-node cluster, which then loses no
 * acknowledged message and goes on while any one node is down (docs/deployment.md).
 */
export function jetStreamReplicas(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LM_JETSTREAM_REPLICAS;
  if (raw === undefined || raw === '') return 1;
  const replicas = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(replicas >= 1 && replicas <= MAX_REPLICAS)) {
    throw new Error(
      `LM_JETSTREAM_REPLICAS must be a number of servers from 1 to ${MAX_REPLICAS}, not ${JSON.stringify(raw)}`,
    );
  }
  return replicas;
}

/**
 * Creates a stream of the system if it does not exist yet, with LM_JETSTREAM_REPLICAS replicas;
 * one that exists with fewer is scaled up to them (a deployment moved from one server to a
 * cluster), never down: fewer copies of the events is an operator's decision (`nats stream edit`),
 * not that of a process started without the variable.
 */
export async function ensureStream(
  nc: NatsConnection,
  config: Partial<StreamConfig> & Pick<StreamConfig, 'name'>,
  replicas = jetStreamReplicas(),
): Promise<void> {
  const jsm = await nc.jetstreamManager();
  let existing: StreamInfo;
  try {
    existing = await jsm.streams.info(config.name);
  } catch {
    try {
      await jsm.streams.add({ ...config, num_replicas: replicas });
    } catch (error) {
      // Another process may have created it between our info and add.
      await jsm.streams.info(config.name).catch(() => {
        throw error;
      });
    }
    return;
  }
  // A server that cannot keep that many (a single one) refuses: the process stops saying so.
  if (existing.config.num_replicas < replicas) await jsm.streams.update(config.name, { num_replicas: replicas });
}
