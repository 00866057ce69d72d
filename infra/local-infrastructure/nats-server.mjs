import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { ServerLog } from './server-log.mjs';

/** The one line npm start and npm test give when they need a NATS server and none is installed. */
export const NATS_INSTALL_HINT =
  'NATS_URL is unset, nothing answers at nats://127.0.0.1:4222 and nats-server is not installed: ' +
  'install it (Debian/Ubuntu: apt-get install nats-server; elsewhere: https://github.com/nats-io/nats-server/releases) ' +
  'or set NATS_URL to a NATS server with JetStream';

/** How long nats-server has to say it is ready (JetStream recovers its streams from disk first). */
const READY_TIMEOUT_MS = 30_000;

/** The nats-server executable the PATH finds, or undefined. */
export function findNatsServer(path = process.env.PATH ?? '') {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Starts `nats-server -js` on 127.0.0.1:`port` with its JetStream storage under `storeDir`, its
 * output in `logFile`; resolves with the running process once it says it is ready.
 */
export async function startNatsServer({ executable, port, storeDir, logFile }) {
  mkdirSync(storeDir, { recursive: true });
  const log = new ServerLog(logFile);
  const server = spawn(executable, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let timer;
  try {
    await new Promise((resolve, reject) => {
      // The end of the output so far: the ready line may come split across two chunks.
      let recent = '';
      const onOutput = (chunk) => {
        log.write(chunk);
        recent = (recent + chunk).slice(-200);
        if (recent.includes('Server is ready')) resolve();
      };
      server.stdout.on('data', onOutput);
      server.stderr.on('data', onOutput);
      server.once('error', reject);
      server.once('exit', (code, signal) =>
        reject(new Error(`nats-server exited (${signal ?? `exit code ${code}`}): ${log.tail()}`)),
      );
      timer = setTimeout(
        () =>
          reject(new Error(`nats-server did not say it was ready within ${READY_TIMEOUT_MS / 1000} s: ${log.tail()}`)),
        READY_TIMEOUT_MS,
      );
    });
  } catch (error) {
    await stopNatsServer(server);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return server;
}

/** SIGTERM (nats-server flushes JetStream and exits), resolved once it has exited. */
export async function stopNatsServer(server) {
  // No pid: it never started (spawn failed), so no exit will come.
  if (server.pid === undefined || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}
