import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';

/**
 * Setup file of the end-to-end projects: each test file gets a LM_NATS_NAMESPACE of its own, set
 * here before the file imports @lm/messaging (which reads it once), so that the files that use NATS
 * in-process (event relays, durable consumers, chassis services, the gateway's metrics gathering)
 * have subjects and JetStream streams of their own while another file runs beside them, as every
 * system of startSystem has. Its streams go with the file.
 */
const namespace = `file-${randomBytes(4).toString('hex')}`;
process.env.LM_NATS_NAMESPACE = namespace;

afterAll(async () => {
  // Imported late: importing @lm/messaging (through system.ts) above would fix the namespace before it is set.
  const { deleteNamespaceStreams } = await import('./system');
  await deleteNamespaceStreams(namespace);
});
