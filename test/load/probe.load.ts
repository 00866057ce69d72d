// SCRATCH — profiling probe, to be deleted.
import { readFileSync, readdirSync } from 'node:fs';
import { Agent } from 'node:http';
import { CreateLicenseConfigurationCommand, GetLicenseConfigurationCommand, LicenseManagerClient } from '@aws-sdk/client-license-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { afterAll, beforeAll, it } from 'vitest';
import { accounts, credentialsOf, startSystem, type RunningSystem } from '../support/system';
import { runLoad } from './measure';

const codec = JSONCodec();
const caller = { accountId: '111111111111', principalArn: 'arn:aws:iam::111111111111:root', accessKeyId: 'AKIALMDEVMANAGEMENT1', region: 'us-east-1' };

function pidsWhere(pred: (env: string, cmd: string) => boolean): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const env = readFileSync(`/proc/${d}/environ`, 'utf8');
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (pred(env, cmd)) out.push(Number(d));
    } catch {}
  }
  return out;
}
function ticks(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}
function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(f[1]) === ppid) out.push(Number(d));
    } catch {}
  }
  return out;
}
function totalTicks(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6]; // user nice system irq softirq
}

let system: RunningSystem;
let sdk: LicenseManagerClient;
let nc: NatsConnection;
const arns: string[] = [];
let groups: Record<string, () => number[]>;

beforeAll(async () => {
  system = await startSystem({
    LM_QUOTA_LICENSE_CONFIGURATIONS: '10000000',
    ...(process.env.PROBE_POOL ? { DATABASE_POOL_SIZE: process.env.PROBE_POOL } : {}),
    ...(process.env.PROBE_PROFILE ? { NODE_OPTIONS: '--require /tmp/prof-hook.js' } : {}),
  });
  sdk = new LicenseManagerClient({
    endpoint: system.endpoint, region: system.region, credentials: credentialsOf(accounts.management), maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 128 }) }),
  });
  nc = await connect({ servers: process.env.NATS_URL! });
  const port = new URL(system.endpoint).port;
  const gateway = pidsWhere((env, cmd) => cmd.includes('gateway/dist/main.js') && env.includes(`\0PORT=${port}\0`));
  const licensing = pidsWhere((env, cmd) => cmd.includes('licensing/dist/main.js') && env.includes(system.databaseUrl));
  const pgPort = new URL(system.databaseUrl).port;
  const postmaster = Number(readFileSync(process.env.PROBE_PGDATA + '/postmaster.pid', 'utf8').split('\n')[0]);
  const nats = Number(readFileSync('/tmp/bench-nats.pid', 'utf8'));
  console.log({ gateway, licensing, postmaster, pgPort, nats });
  groups = {
    gateway: () => gateway,
    licensing: () => licensing,
    postgres: () => [postmaster, ...childrenOf(postmaster)],
    nats: () => [nats],
    loadgen: () => [process.pid],
  };
});
afterAll(async () => {
  await nc?.close();
  if ((pgss as any)._connected) await pgss.end();
  sdk?.destroy();
  await system?.stop();
});

async function natsCall(op: string, input: unknown) {
  const subject = `lm.licensing.${op}`;
  const msg = await nc.request(subject, codec.encode({ pattern: subject, data: { requestId: 'x', caller, input }, id: String(Math.random()) }), { timeout: 30_000 });
  const packet = codec.decode(msg.data) as any;
  if (packet.err) throw new Error(JSON.stringify(packet.err));
  return packet.response;
}

import { Client } from 'pg';
const pgss = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5544/postgres' });
async function phase(name: string, clients: number, fn: (i: number) => Promise<unknown>) {
  const profile = (process.env.PROBE_PROFILE ?? '').split(',').includes(`${name}@${clients}`);
  const signal = () => [...groups.gateway(), ...groups.licensing()].forEach((p) => process.kill(p, 'SIGUSR2'));
  if (process.env.PROBE_PGSS) {
    if (!(pgss as any)._connected) await pgss.connect();
  }
  // snapshot CPU only over the measured window: run with warmup 1s then sample
  const before = new Map<string, number>();
  let totalBefore = 0;
  let res: any;
  const sampler = setTimeout(() => {
    for (const [g, pids] of Object.entries(groups)) before.set(g, pids().reduce((s, p) => s + ticks(p), 0));
    totalBefore = totalTicks();
    if (profile) signal();
    if (process.env.PROBE_PGSS) void pgss.query('select pg_stat_statements_reset()');
  }, 1000);
  res = await runLoad(fn, { clients });
  clearTimeout(sampler);
  if (profile) signal();
  const cpu: Record<string, string> = {};
  const n = res.requests + res.errors;
  for (const [g, pids] of Object.entries(groups)) {
    const t = pids().reduce((s, p) => s + ticks(p), 0) - before.get(g)!;
    cpu[g] = ((t * 10) / n).toFixed(2);
  }
  const machine = ((totalTicks() - totalBefore) * 10) / n;
  if (process.env.PROBE_PGSS) {
    const { rows } = await pgss.query(`select calls, round(total_exec_time::numeric,1) as ms, round((total_exec_time/calls)::numeric,3) as mean, round(wal_bytes/calls) as wal_per_call, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as q from pg_stat_statements where dbid = (select oid from pg_database where datname = $1) order by total_exec_time desc limit 14`, [new URL(system.databaseUrl).pathname.slice(1)]);
    console.log(`--- pg_stat_statements ${name}@${clients} (requests ${n})`);
    for (const r of rows) console.log(`${String(r.calls).padStart(7)} ${String(r.ms).padStart(8)}ms mean ${String(r.mean).padStart(7)} wal ${String(r.wal_per_call).padStart(5)}  ${r.q}`);
  }
  console.log(
    `${name.padEnd(22)} c=${String(clients).padStart(2)} ${res.throughput.toFixed(0).padStart(5)} req/s p50 ${res.p50Ms.toFixed(1)} p99 ${res.p99Ms.toFixed(1)} err ${res.errors} | CPU ms/req ${JSON.stringify(cpu)} machine ${machine.toFixed(2)}`,
  );
}

const createInput = (i: number) => ({ Name: `probe-${i}`, LicenseCountingType: 'vCPU', LicenseCount: 100 });

it('breakdown', async () => {
  for (const clients of (process.env.PROBE_CLIENTS ?? '1,16').split(',').map(Number)) {
    await phase('Create via gateway', clients, async (i) => {
      const r = await sdk.send(new CreateLicenseConfigurationCommand(createInput(i) as any));
      arns.push(r.LicenseConfigurationArn!);
    });
    await phase('Create via NATS', clients, async (i) => {
      const r = await natsCall('CreateLicenseConfiguration', createInput(i));
      arns.push(r.LicenseConfigurationArn);
    });
    const pick = () => arns[Math.floor(Math.random() * arns.length)];
    await phase('Get via gateway', clients, () => sdk.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: pick() })));
    await phase('Get via NATS', clients, () => natsCall('GetLicenseConfiguration', { LicenseConfigurationArn: pick() }));
  }
  const metrics = await (await fetch(`${system.endpoint}/metrics`)).text();
  console.log(metrics.split('\n').filter((l) => /_sum|_count/.test(l)).join('\n'));
});
