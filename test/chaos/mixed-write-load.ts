import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CheckoutLicenseCommand,
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
  type LicenseManagerClient,
} from '@aws-sdk/client-license-manager';
import { eventsStreamName } from '@lm/messaging';
import { connect, type JetStreamManager } from 'nats';
import { expect } from 'vitest';
import { associationsOf, createSigningKey, licenseManager, rawRequest } from '../support/clients';
import { LoadRecord, unansweredOutside, withSystemDatabase, type UnansweredAttempt } from '../support/crash';
import { grantedLicense, leaseIdOfToken, type GrantedLicense } from '../support/licenses';
import { reportResources, resourceArnOf, type ObservedResource } from '../support/inventory';
import { accounts, type RunningSystem } from '../support/system';

/**
 * The mixed write load of the fault tests (docs/reliability.md, Faults): clients that associate
 * reported instances with a license configuration, clients that check out seats of a granted
 * licence, and an integrator that reports new instances, each request asked again until the system
 * answers it, so that every write ends known. A fault test runs it across its fault, then checks
 * with `expectNothingLost` that every acknowledged write is there, once.
 */

/** How long a client waits for any one answer: an attempt that takes longer is a hang. */
export const CLIENT_TIMEOUT_MS = 15_000;
const SEATS = 100_000;
const ONE_SEAT = [{ Name: 'Seats', Unit: 'Count' as const, Value: '1' }];
const VCPUS = 2;

/** What the clients were told succeeded. */
export interface Acknowledged {
  associated: Set<string>;
  /** Consumption token of each acknowledged checkout, by its ClientToken. */
  checkedOut: Map<string, string>;
  /** ARNs of the instances of every acknowledged report. */
  reported: Set<string>;
}

/** An answer that is not a success, in the shape of the SDK's errors (so that crash.ts's isUnanswered reads it). */
class RawAnswerError extends Error {
  readonly $metadata: { httpStatusCode?: number };
  constructor(status: number | undefined, name: string, message: string) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

/** Whether a failure is the gateway's clear "try again": 503 ServiceUnavailableException. */
export const isServiceUnavailable = (attempt: UnansweredAttempt) =>
  (attempt.error as RawAnswerError).$metadata?.httpStatusCode === 503 &&
  (attempt.error as Error).name === 'ServiceUnavailableException';

/** Acknowledged writes of each kind. */
export type WriteCounts = Record<'associated' | 'checkedOut' | 'reported', number>;

export class MixedWriteLoad {
  readonly record = new LoadRecord();
  readonly acknowledged: Acknowledged = { associated: new Set(), checkedOut: new Map(), reported: new Set() };
  /** The longest any one attempt took. */
  longestAttemptMs = 0;
  private nextInstance = 0;
  private reports = 0;

  private constructor(
    private readonly system: RunningSystem,
    private readonly client: LicenseManagerClient,
    private readonly customer: LicenseManagerClient,
    readonly configurationArn: string,
    readonly license: GrantedLicense,
    private readonly instances: string[],
  ) {}

  /** A configuration, a granted licence and reported instances to associate, made before the fault. */
  static async prepare(system: RunningSystem, instances = 600): Promise<MixedWriteLoad> {
    const client = licenseManager(system, accounts.management);
    const configurationArn = (
      await client.send(
        new CreateLicenseConfigurationCommand({ Name: 'chaos', LicenseCountingType: 'vCPU', LicenseCount: 1_000_000 }),
      )
    ).LicenseConfigurationArn!;
    const license = await grantedLicense(system, {
      issuer: accounts.management,
      grantee: accounts.member,
      signKey: await createSigningKey(system, accounts.management),
      productSku: 'chaos-seats',
      entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: SEATS, AllowCheckIn: true }],
      allowedOperations: ['CheckoutLicense', 'CheckInLicense'],
      consumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
    });
    const arns = await reportResources(
      system,
      Array.from({ length: instances }, (_, i) => instance('0a', i)),
    );
    return new MixedWriteLoad(system, client, licenseManager(system, accounts.member), configurationArn, license, arns);
  }

  /** Runs the clients until `running()` turns false; each finishes the request it is on. */
  run(running: () => boolean): Promise<unknown> {
    return Promise.all([
      ...Array.from({ length: 3 }, () => this.associating(running)),
      ...Array.from({ length: 2 }, () => this.checkingOut(running)),
      this.reporting(running),
    ]);
  }

  /** Sends one request until it is answered (timed: no attempt may hang), and returns its answer. */
  private async untilAnswered<T>(send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (;;) {
      const started = Date.now();
      try {
        return await this.record.send(() => send(AbortSignal.timeout(CLIENT_TIMEOUT_MS)));
      } catch (error) {
        const status = (error as RawAnswerError).$metadata?.httpStatusCode;
        if (status !== undefined && status !== 500 && status !== 501 && status !== 503) throw error;
        await sleep(100);
      } finally {
        this.longestAttemptMs = Math.max(this.longestAttemptMs, Date.now() - started);
      }
    }
  }

  private async associating(running: () => boolean) {
    while (running() && this.nextInstance < this.instances.length) {
      const arn = this.instances[this.nextInstance++];
      // Adding a configuration a resource already has changes nothing: asking again is safe.
      await this.untilAnswered((abortSignal) =>
        this.client.send(
          new UpdateLicenseSpecificationsForResourceCommand({
            ResourceArn: arn,
            AddLicenseSpecifications: [{ LicenseConfigurationArn: this.configurationArn }],
          }),
          { abortSignal },
        ),
      );
      this.acknowledged.associated.add(arn);
    }
  }

  private async checkingOut(running: () => boolean) {
    while (running()) {
      const clientToken = randomUUID();
      const answer = await this.untilAnswered((abortSignal) => this.checkout(clientToken, abortSignal));
      this.acknowledged.checkedOut.set(clientToken, answer.LicenseConsumptionToken!);
    }
  }

  /** A checkout of one seat; the same ClientToken again is answered with the first checkout. */
  checkout(clientToken: string, abortSignal?: AbortSignal) {
    return this.customer.send(
      new CheckoutLicenseCommand({
        ProductSKU: this.license.sku,
        KeyFingerprint: this.license.fingerprint,
        CheckoutType: 'PROVISIONAL',
        Entitlements: ONE_SEAT,
        ClientToken: clientToken,
      }),
      { abortSignal },
    );
  }

  private async reporting(running: () => boolean) {
    while (running()) {
      const batch = Array.from({ length: 5 }, (_, i) => instance('0b', this.reports * 5 + i));
      this.reports++;
      const body = JSON.stringify({
        Resources: batch.map((r) => ({
          ResourceId: r.resourceId,
          ResourceType: r.resourceType,
          State: r.state,
          VCpuCount: r.vCpuCount,
          ObservedAt: new Date().toISOString(),
        })),
      });
      await this.untilAnswered(async (signal) => {
        const response = await Promise.race([
          rawRequest(this.system, {
            account: accounts.management,
            path: '/inventory/ReportResources',
            headers: { 'content-type': 'application/json' },
            body,
          }).catch((error: Error) => {
            throw new RawAnswerError(undefined, error.name, error.message);
          }),
          new Promise<never>((_, reject) =>
            signal.addEventListener('abort', () => reject(new RawAnswerError(undefined, 'TimeoutError', 'hung'))),
          ),
        ]);
        if (response.status !== 200) {
          const type = String(response.headers.get?.('x-amzn-errortype') ?? response.json?.__type ?? '');
          throw new RawAnswerError(response.status, type.split(/[#:]/).at(-2) ?? type, response.text);
        }
        return response;
      });
      for (const r of batch) this.acknowledged.reported.add(resourceArnOf(r));
    }
  }

  /** How many writes of each kind were acknowledged so far. */
  counts(): WriteCounts {
    return {
      associated: this.acknowledged.associated.size,
      checkedOut: this.acknowledged.checkedOut.size,
      reported: this.acknowledged.reported.size,
    };
  }

  /**
   * What an outage from `killedAt` to `restoredAt` must leave of the load: it hit live traffic
   * (`inFlightAtKill` requests on the wire, some left unanswered), each unanswered attempt a clear
   * 503 caught by the outage and none hanging, and every kind of write going on before the outage
   * and after the recovery (counts `before` it, `atRecovery`, `after` the load stopped).
   */
  expectOutageAnswered(outage: {
    killedAt: number;
    restoredAt: number;
    inFlightAtKill: number;
    before: WriteCounts;
    atRecovery: WriteCounts;
    after: WriteCounts;
  }): void {
    const { killedAt, restoredAt, inFlightAtKill, before, atRecovery, after } = outage;
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(this.record.unanswered.length).toBeGreaterThan(0);
    expect(this.record.unanswered.filter((attempt) => !isServiceUnavailable(attempt))).toEqual([]);
    expect(unansweredOutside(this.record, { killedAt, restoredAt, inFlightAtKill })).toEqual([]);
    expect(this.longestAttemptMs).toBeLessThan(CLIENT_TIMEOUT_MS);
    for (const kind of ['associated', 'checkedOut', 'reported'] as const) {
      expect(before[kind], kind).toBeGreaterThan(0);
      expect(after[kind], kind).toBeGreaterThan(atRecovery[kind]);
    }
  }

  /**
   * After the fault, once the system is whole: every acknowledged write is there exactly once,
   * every relay has published its whole store to JetStream exactly once, every durable consumer
   * has applied every event of its filter exactly once, and the views equal what the events say.
   * `natsServers`: the system's NATS servers (NATS_URL), one or a cluster's.
   */
  async expectNothingLost(natsServers: string | string[]): Promise<void> {
    const { associated, checkedOut, reported } = this.acknowledged;
    // Associations: exactly the acknowledged ones, each counting its vCPUs once.
    const listed = new Set((await associationsOf(this.client, this.configurationArn)).map((a) => a.ResourceArn!));
    expect(listed).toEqual(associated);
    const { ConsumedLicenses } = await this.client.send(
      new GetLicenseConfigurationCommand({ LicenseConfigurationArn: this.configurationArn }),
    );
    expect(ConsumedLicenses).toBe(associated.size * VCPUS);
    // Checkouts: each acknowledged one, asked again with its ClientToken, is answered with its first lease.
    const replayed = await Promise.all([...checkedOut.keys()].map((token) => this.checkout(token)));
    expect(replayed.map((answer) => answer.LicenseConsumptionToken)).toEqual([...checkedOut.values()]);

    const nc = await connect({ servers: natsServers });
    try {
      const jsm = await nc.jetstreamManager();
      await expectRelaysWhole(this.system, jsm);
      await expectConsumersApplyOnce(this.system, jsm);
    } finally {
      await nc.close();
    }
    // Reports: every acknowledged instance is in discovery's inventory and in licensing's copy of it (a consumer's view).
    await withSystemDatabase(this.system, async (db) => {
      const inDiscovery = await db.query(
        `select count(distinct data->>'resourceArn')::int as n from discovery.events where data->>'resourceArn' = any($1)`,
        [[...reported]],
      );
      const inLicensing = await db.query(
        'select count(*)::int as n from licensing.resources where resource_arn = any($1)',
        [[...reported]],
      );
      expect({ discovery: inDiscovery.rows[0].n, licensing: inLicensing.rows[0].n }).toEqual({
        discovery: reported.size,
        licensing: reported.size,
      });
    });
    await this.expectViewsEqualEvents();
  }

  /** The views written in the appends' transactions hold what the event streams say, rebuilt here by folding them. */
  private async expectViewsEqualEvents(): Promise<void> {
    const configurationId = this.configurationArn.split(':').pop();
    const licenseId = this.license.licenseArn.split(':').pop();
    await withSystemDatabase(this.system, async (db) => {
      const associationEvents = await db.query(
        `select type, data->>'resourceArn' as arn from licensing.events where stream_name = $1 and type in ('ResourceAssociated', 'ResourceDisassociated') order by global_position`,
        [`license-configuration-${configurationId}`],
      );
      const associatedByEvents = new Set<string>();
      for (const { type, arn } of associationEvents.rows) {
        if (type === 'ResourceAssociated') associatedByEvents.add(arn);
        else associatedByEvents.delete(arn);
      }
      const associationRows = await db.query(
        'select resource_arn from licensing.license_configuration_associations where configuration_id = $1',
        [configurationId],
      );
      expect(associationEvents.rows.filter((row) => row.type === 'ResourceAssociated')).toHaveLength(
        associatedByEvents.size,
      );
      expect(new Set(associationRows.rows.map((row) => row.resource_arn))).toEqual(associatedByEvents);
      expect(associatedByEvents).toEqual(this.acknowledged.associated);

      const checkoutEvents = await db.query(
        `select data->>'clientToken' as client_token, data->>'consumptionToken' as consumption_token from grants.events where stream_name = $1 and type = 'LicenseCheckedOut'`,
        [`license-usage-${licenseId}`],
      );
      // One checkout per ClientToken, the one the client was told of, and none it was not told of.
      const acknowledgedLeases = new Map(
        [...this.acknowledged.checkedOut].map(([clientToken, token]) => [clientToken, leaseIdOfToken(token)]),
      );
      expect(new Map(checkoutEvents.rows.map((row) => [row.client_token, row.consumption_token]))).toEqual(
        acknowledgedLeases,
      );
      expect(checkoutEvents.rows).toHaveLength(this.acknowledged.checkedOut.size);
      const leases = await db.query(
        `select consumption_token from grants.license_consumptions where license_arn = $1 and status = 'ACTIVE'`,
        [this.license.licenseArn],
      );
      expect(new Set(leases.rows.map((row) => row.consumption_token))).toEqual(new Set(acknowledgedLeases.values()));
    });
  }
}

function instance(fill: string, i: number): ObservedResource {
  return {
    accountId: accounts.management.accountId,
    resourceId: `i-${fill}${i.toString(16).padStart(15, '0')}`,
    resourceType: 'EC2_INSTANCE',
    state: 'running',
    vCpuCount: VCPUS,
  };
}

/** One answer of the gateway's /health (status -1: no answer within the client's timeout). */
export interface HealthSample {
  at: number;
  status: number;
  body: { nats?: boolean; services?: Record<string, boolean> };
}

/** Asks /health four times a second while `running()`, each answer awaited at most CLIENT_TIMEOUT_MS. */
export async function watchHealth(system: RunningSystem, running: () => boolean): Promise<HealthSample[]> {
  const samples: HealthSample[] = [];
  while (running()) {
    const at = Date.now();
    try {
      const response = await fetch(`${system.endpoint}/health`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
      samples.push({ at, status: response.status, body: (await response.json()) as HealthSample['body'] });
    } catch {
      samples.push({ at, status: -1, body: {} });
    }
    await sleep(250);
  }
  return samples;
}

/** Polls `check` until it passes (it throws while it does not), for at most `ms`. */
export async function eventually(check: () => Promise<void>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

/** Messages of the system's events stream by subject (filtered). */
async function messagesBySubject(jsm: JetStreamManager, system: RunningSystem, filter: string) {
  const info = await jsm.streams.info(eventsStreamName(system.natsNamespace), {
    subjects_filter: `lm.${system.natsNamespace}.${filter}`,
  } as never);
  return Object.entries((info.state as { subjects?: Record<string, number> }).subjects ?? {});
}

/**
 * Each service's relay has published every event of its store once: the stream holds as many
 * messages of the service as its store has events (JetStream drops a republished one by its id),
 * and its checkpoint has reached the store's last event.
 */
async function expectRelaysWhole(system: RunningSystem, jsm: JetStreamManager): Promise<void> {
  const schemas = await withSystemDatabase(system, async (db) =>
    (await db.query(`select table_schema from information_schema.tables where table_name = 'checkpoints'`)).rows.map(
      (row) => row.table_schema as string,
    ),
  );
  await eventually(async () => {
    for (const schema of schemas) {
      const service = schema.replace(/_/g, '-');
      const stored = await withSystemDatabase(system, async (db) => {
        const { rows } = await db.query(
          `select (select count(*)::int from ${schema}.events) as n,
             (select lpad(transaction_id::text, 20, '0') || ':' || lpad(global_position::text, 20, '0')
              from ${schema}.events order by transaction_id desc, global_position desc limit 1) as head,
             (select position from ${schema}.checkpoints where name = 'relay:jetstream') as checkpoint`,
        );
        return rows[0];
      });
      const published = (await messagesBySubject(jsm, system, `events.${service}.>`)).reduce((n, [, c]) => n + c, 0);
      expect({ service, published, checkpoint: stored.checkpoint }).toEqual({
        service,
        published: stored.n,
        checkpoint: stored.head,
      });
    }
  });
}

/**
 * Every durable consumer of the events stream has applied every event of its filter, once: none is
 * pending or awaiting its ack, and its service's processed-events ledger (written in the
 * transaction that applies an event) holds exactly as many of its rows as the stream holds events
 * of its filter.
 */
async function expectConsumersApplyOnce(system: RunningSystem, jsm: JetStreamManager): Promise<void> {
  const stream = eventsStreamName(system.natsNamespace);
  const consumers = await jsm.consumers.list(stream).next();
  expect(consumers.length).toBeGreaterThan(3);
  const ledgers = await withSystemDatabase(system, async (db) =>
    (
      await db.query(`select table_schema from information_schema.tables where table_name = 'processed_events'`)
    ).rows.map((row) => row.table_schema as string),
  );
  await eventually(async () => {
    for (const { name } of consumers) {
      const info = await jsm.consumers.info(stream, name);
      const filter = info.config.filter_subject!.slice(`lm.${system.natsNamespace}.`.length);
      const events = (await messagesBySubject(jsm, system, filter)).reduce((n, [, c]) => n + c, 0);
      const applied = await withSystemDatabase(system, async (db) => {
        let n = 0;
        for (const schema of ledgers) {
          const { rows } = await db.query(
            `select count(*)::int as n from ${schema}.processed_events where consumer = $1`,
            [name],
          );
          n += rows[0].n;
        }
        return n;
      });
      expect({ name, backlog: info.num_pending + info.num_ack_pending, applied }).toEqual({
        name,
        backlog: 0,
        applied: events,
      });
    }
  });
}
