// Starts the gateway and every service as separate processes, with prefixed logs.
// SIGTERM/SIGINT stop them all gracefully; if one dies unexpectedly, the others are stopped too
// and the supervisor exits non-zero, so that an orchestrator sees the failure.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVICES = ['licensing', 'discovery', 'grants'];
const env = {
  ...process.env,
  LM_CREDENTIALS_FILE: process.env.LM_CREDENTIALS_FILE ?? join(root, 'infra/credentials.dev.json'),
  LM_SERVICES: process.env.LM_SERVICES ?? SERVICES.join(','),
};

const children = new Map();
let stopping = false;

function prefixLines(name, stream, out) {
  let pending = '';
  stream.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
  stream.on('end', () => pending && out.write(`[${name}] ${pending}\n`));
}

function start(name, script) {
  const child = spawn(process.execPath, ['--enable-source-maps', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.set(name, child);
  prefixLines(name, child.stdout, process.stdout);
  prefixLines(name, child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`[supervisor] ${name} exited (${signal ?? code}); stopping everything`);
      stop(1);
    } else if (children.size === 0) {
      process.exit(process.exitCode ?? 0);
    }
  });
}

function stop(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = exitCode;
  if (children.size === 0) process.exit(exitCode);
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(exitCode || 1);
  }, 10_000).unref();
}

process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));

for (const service of SERVICES) start(service, join(root, `services/${service}/dist/main.js`));
start('gateway', join(root, 'services/gateway/dist/main.js'));
