/* global fetch, AbortSignal -- Node 20 globals, which the lint configuration does not declare for plain JavaScript */
import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { clearTimeout, setTimeout } from 'node:timers';
import { prefixLines } from './prefixed-output.mjs';
import { RestartPolicy } from './restart-policy.mjs';
import { childLogEnvironment, supervisorLog } from './supervisor-log.mjs';

/** How long the processes have, from the stop signal, to shut down by themselves before they are killed. */
export const STOP_TIMEOUT_MS = 10_000;
const HEALTH_POLL_MS = 200;

const { info: log, error: logError } = supervisorLog();
const describeExit = (code, signal) => (signal ? `signal ${signal}` : `exit code ${code}`);

/**
 * Runs the gateway and the services as child processes: says once the whole system answers
 * GET /health, restarts a process that dies (see RestartPolicy), and stops them all in order.
 * `programs` lists the gateway first: it is stopped first, so that the requests it still has in
 * flight are answered by services that are still there.
 */
export class Supervisor {
  /** @type {Map<string, { script: string, policy: RestartPolicy, child?: import('node:child_process').ChildProcess, closed?: Promise<void>, restartTimer?: NodeJS.Timeout }>} */
  #processes = new Map();
  #readyOnce = false;
  #watchingHealth = false;
  /** @type {Promise<number> | undefined} */
  #stopping;

  /**
   * @param {{ programs: { name: string, script: string }[], env: NodeJS.ProcessEnv, port: number, onFinished: (exitCode: number) => void, restartPolicy?: ConstructorParameters<typeof RestartPolicy>[0] }} options
   */
  constructor({ programs, env, port, onFinished, restartPolicy }) {
    for (const { name, script } of programs)
      this.#processes.set(name, { script, policy: new RestartPolicy(restartPolicy) });
    this.env = { ...env, ...childLogEnvironment({ env }) };
    this.port = port;
    this.onFinished = onFinished;
  }

  start() {
    for (const name of this.#processes.keys()) this.#launch(name);
    void this.#announceWhenHealthy();
  }

  /** Stops every process (SIGTERM, then SIGKILL after STOP_TIMEOUT_MS) and reports the exit code to onFinished. */
  stop(exitCode) {
    this.#stopping ??= this.#stopInOrder(exitCode).then((code) => {
      this.onFinished(code);
      return code;
    });
    return this.#stopping;
  }

  /** The pids of the processes still running: the supervisor's last resort if it exits without stopping them. */
  runningPids() {
    return [...this.#processes.values()].flatMap(({ child }) => (child ? [child.pid] : []));
  }

  #launch(name) {
    const managed = this.#processes.get(name);
    // Its own process group: Ctrl-C in a terminal signals the supervisor alone, which then stops
    // the processes in order rather than all at once.
    const child = spawn(process.execPath, ['--enable-source-maps', managed.script], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    managed.child = child;
    prefixLines(name, child.stdout, process.stdout);
    prefixLines(name, child.stderr, process.stderr);
    log(`${name} started (pid ${child.pid})`);
    // 'close' comes after the child's last output, so that "stopped" is logged after it.
    managed.closed = new Promise((resolve) =>
      child.once('close', (code, signal) => {
        managed.child = undefined;
        if (!this.#stopping) this.#died(name, code, signal);
        resolve();
      }),
    );
  }

  #died(name, code, signal) {
    const managed = this.#processes.get(name);
    const how = describeExit(code, signal);
    if (!this.#readyOnce) {
      // A process that cannot start (bad configuration, a database it cannot reach) would fail the same way again.
      logError(`${name} exited (${how}) before the system was ready; stopping everything`);
      void this.stop(1);
      return;
    }
    const wait = managed.policy.nextDelay();
    if (wait === undefined) {
      logError(
        `${name} exited (${how}) after ${managed.policy.recentRestarts} restarts in the last minute; giving up, stopping everything`,
      );
      void this.stop(1);
      return;
    }
    logError(`${name} exited unexpectedly (${how}); restarting it in ${wait / 1000} s`);
    managed.restartTimer = setTimeout(() => {
      managed.restartTimer = undefined;
      this.#launch(name);
      void this.#announceWhenHealthy();
    }, wait);
  }

  /** Logs the ready line once GET /health answers 200 (again after a restart). */
  async #announceWhenHealthy() {
    if (this.#watchingHealth) return;
    this.#watchingHealth = true;
    try {
      while (!this.#stopping) {
        if (await this.#healthy()) {
          this.#readyOnce = true;
          log(`ready: http://localhost:${this.port} (${[...this.#processes.keys()].join(', ')})`);
          return;
        }
        await delay(HEALTH_POLL_MS);
      }
    } finally {
      this.#watchingHealth = false;
    }
  }

  async #healthy() {
    try {
      const response = await fetch(`http://127.0.0.1:${this.port}/health`, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return response.status === 200;
    } catch {
      return false; // not listening yet, or a part not answering yet
    }
  }

  async #stopInOrder(exitCode) {
    for (const managed of this.#processes.values()) clearTimeout(managed.restartTimer);
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    const [gateway, ...services] = this.#processes.keys();
    let forced = false;
    for (const group of [[gateway], services]) {
      const results = await Promise.all(group.map((name) => this.#stopOne(name, deadline)));
      forced ||= results.includes('killed');
    }
    if (forced) {
      logError('stopped, but not every process stopped by itself in time');
      return exitCode || 1;
    }
    log(`every process stopped; exiting with ${exitCode}`);
    return exitCode;
  }

  /** SIGTERM, then SIGKILL at the deadline; says whether the process 'stopped' by itself or was 'killed'. */
  async #stopOne(name, deadline) {
    const { child, closed } = this.#processes.get(name);
    if (!child) return 'stopped';
    log(`stopping ${name}`);
    child.kill('SIGTERM');
    let timer;
    const timedOut = new Promise(
      (resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), 'late')),
    );
    const outcome = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    if (outcome !== 'late') {
      log(`${name} stopped`);
      return 'stopped';
    }
    logError(`${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
    child.kill('SIGKILL');
    await closed;
    log(`${name} killed`);
    return 'killed';
  }
}
