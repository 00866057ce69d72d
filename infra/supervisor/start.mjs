// `npm start`: builds (unless --no-build), then starts the gateway and every service as separate
// processes with prefixed logs (see Supervisor). The start script `exec`s node, so that no shell
// stays between npm and this process to swallow the SIGTERM or SIGINT that npm passes on: this
// process stops every service in order within 10 seconds and exits 0, or non-zero when a service
// kept dying or had to be killed. PostgreSQL and NATS that are neither configured nor running are
// started here first, and stopped last (see infra/local-infrastructure).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  cannotStartLocally,
  localInfrastructureNeeds,
  startEmbeddedInfrastructure,
} from '../local-infrastructure/local-infrastructure.mjs';
import { Supervisor } from './supervisor.mjs';
import { supervisorLog } from './supervisor-log.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVICES = [
  'licensing',
  'discovery',
  'grants',
  'reporting',
  'user-subscriptions',
  'linux-subscriptions',
  'conversion',
];
const env = {
  ...process.env,
  LM_CREDENTIALS_FILE: process.env.LM_CREDENTIALS_FILE ?? join(root, 'infra/credentials.dev.json'),
  LM_SERVICES: process.env.LM_SERVICES ?? SERVICES.join(','),
};
const { info: log, error: logError } = supervisorLog();

/** The build while it runs, then the supervisor: whichever a stop signal has to stop. */
let build;
let supervisor;
/** The embedded PostgreSQL and nats-server, when this process started them. */
let localInfrastructure;
let stopRequested = false;

function onStopSignal(signal) {
  if (stopRequested) {
    // Ctrl-C under npm arrives twice: from the terminal and forwarded by npm.
    log(`${signal}: already stopping`);
    return;
  }
  stopRequested = true;
  log(`${signal}: stopping every process`);
  if (supervisor) void supervisor.stop(0);
  else build?.kill('SIGTERM');
}
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, onStopSignal);

// The last resort if the supervisor itself fails: no service outlives it.
process.on('exit', () => {
  for (const pid of supervisor?.runningPids() ?? []) process.kill(pid, 'SIGKILL');
  localInfrastructure?.kill();
});

/** Runs `npm run build` (the one definition of the build) and resolves with its exit code. */
function runBuild() {
  log('building (npm run build)');
  build = spawn('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve) => build.once('close', (code, signal) => resolve(signal ? 1 : code)));
}

/** The first restart's delay (doubling with each restart of the last minute): 1 s unless set. */
const firstRestartDelayMs = Number(process.env.LM_RESTART_FIRST_DELAY_MS ?? 1_000);
if (!Number.isInteger(firstRestartDelayMs) || firstRestartDelayMs <= 0) {
  logError(`LM_RESTART_FIRST_DELAY_MS must be a positive integer, not "${process.env.LM_RESTART_FIRST_DELAY_MS}"`);
  process.exit(1);
}

// Before the build, so that a machine that lacks nats-server hears it at once.
const needs = await localInfrastructureNeeds(process.env);
const refusal = cannotStartLocally(needs);
if (refusal) {
  logError(refusal);
  process.exit(1);
}

if (!process.argv.includes('--no-build')) {
  const code = await runBuild();
  if (stopRequested) {
    log('stopped during the build');
    process.exit(0);
  }
  if (code !== 0) {
    logError(`the build failed (exit code ${code}); nothing started`);
    process.exit(code);
  }
}

try {
  localInfrastructure = await startEmbeddedInfrastructure(needs, { log });
} catch (error) {
  logError(`${error.message}; nothing started`);
  process.exit(1);
}
if (stopRequested) {
  await localInfrastructure.stop();
  log('stopped during start-up');
  process.exit(0);
}

const port = Number(process.env.PORT ?? 8080);
supervisor = new Supervisor({
  // Each one bundled into one file by `npm run build` (infra/build/bundle-services.mjs): a faster boot.
  programs: ['gateway', ...SERVICES].map((name) => ({
    name,
    script: join(root, `services/${name}/dist/bundle/main.js`),
  })),
  env: { ...env, ...localInfrastructure.env },
  port,
  restartPolicy: { firstDelayMs: firstRestartDelayMs },
  // The database and NATS go last, once no service uses them any more.
  onFinished: async (exitCode) => {
    await localInfrastructure.stop();
    process.exit(exitCode);
  },
});
supervisor.start();
