import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import {
  CheckInLicenseCommand,
  CheckoutLicenseCommand,
  GetLicenseUsageCommand,
  type LicenseManagerClient,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, licenseManager } from '../../support/clients';
import { crashDuringLoad, LoadRecord, unansweredOutside, untilAnswered, withSystemDatabase } from '../../support/crash';
import { grantedLicense, leaseIdOfToken, type GrantedLicense } from '../../support/licenses';
import { accounts, startSystem, type RunningSystem } from '../../support/system';

const MAX_SEATS = 40;
const ONE_SEAT = [{ Name: 'Seats', Unit: 'Count' as const, Value: '1' }];
/** Clients that check out and check in again at once, and clients that keep what they check out. */
const PAIR_CLIENTS = 6;
const KEEPING_CLIENTS = 2;
/**
 * The keeping clients fill the licence up to this across the crash (pausing between checkouts, to
 * be caught by it), leaving the pair clients fewer seats than they are: the licence is full at times.
 */
const KEPT_SEATS = MAX_SEATS - 3;
const KEEPING_PAUSE_MS = 40;

/** What the clients were told: every request is asked again until it is answered, so none is left unknown. */
interface Ledger {
  /** Consumption token of each acknowledged checkout, by its ClientToken. */
  checkedOut: Map<string, string>;
  /** Consumption tokens of acknowledged check-ins. */
  checkedIn: Set<string>;
  refusals: number;
  /** Attempts whose outcome the client did not learn (and asked again). */
  unanswered: number;
}

/** The licence's usage as its event stream tells it, folded in order. */
interface UsageFromEvents {
  /** Status of each checkout by consumption token, as the license_consumptions view names them. */
  statuses: Map<string, 'ACTIVE' | 'CHECKED_IN'>;
  /** Consumption tokens of the checkout events of each ClientToken. */
  checkoutsByClientToken: Map<string, string[]>;
  seatsInUse: number;
  peakSeatsInUse: number;
  eventTypes: Set<string>;
}

function foldUsage(events: { type: string; data: any }[]): UsageFromEvents {
  const usage: UsageFromEvents = {
    statuses: new Map(),
    checkoutsByClientToken: new Map(),
    seatsInUse: 0,
    peakSeatsInUse: 0,
    eventTypes: new Set(),
  };
  const seatsOfLease = new Map<string, number>();
  for (const { type, data } of events) {
    usage.eventTypes.add(type);
    if (type === 'LicenseCheckedOut') {
      const seats = (data.counted as { units: number }[]).reduce((sum, counted) => sum + counted.units, 0);
      seatsOfLease.set(data.consumptionToken, seats);
      usage.seatsInUse += seats;
      usage.statuses.set(data.consumptionToken, 'ACTIVE');
      usage.checkoutsByClientToken.set(data.clientToken, [
        ...(usage.checkoutsByClientToken.get(data.clientToken) ?? []),
        data.consumptionToken,
      ]);
    } else if (type === 'LicenseCheckedIn') {
      usage.seatsInUse -= seatsOfLease.get(data.consumptionToken) ?? 0;
      seatsOfLease.delete(data.consumptionToken);
      usage.statuses.set(data.consumptionToken, 'CHECKED_IN');
    }
    usage.peakSeatsInUse = Math.max(usage.peakSeatsInUse, usage.seatsInUse);
  }
  return usage;
}

describe('kill -9 of grants in the middle of checkouts and check-ins', () => {
  let system: RunningSystem;
  let customer: LicenseManagerClient;
  let license: GrantedLicense;

  beforeAll(async () => {
    // Requests caught by the crash fail after 2 s instead of the default 30 s.
    system = await startSystem({ LM_OPERATION_TIMEOUT_MS: '2000' });
    customer = licenseManager(system, accounts.member);
    license = await grantedLicense(system, {
      issuer: accounts.management,
      grantee: accounts.member,
      signKey: await createSigningKey(system, accounts.management),
      productSku: 'crash-seats',
      entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: MAX_SEATS, AllowCheckIn: true }],
      allowedOperations: ['CheckoutLicense', 'CheckInLicense'],
      consumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
    });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('counts each acknowledged checkout once and each acknowledged check-in, never beyond MaxCount, and the view agrees with the events', async () => {
    const ledger: Ledger = { checkedOut: new Map(), checkedIn: new Set(), refusals: 0, unanswered: 0 };
    const record = new LoadRecord();
    const sendCheckout = (clientToken: string) =>
      customer.send(
        new CheckoutLicenseCommand({
          ProductSKU: license.sku,
          KeyFingerprint: license.fingerprint,
          CheckoutType: 'PROVISIONAL',
          Entitlements: ONE_SEAT,
          ClientToken: clientToken,
        }),
      );

    /** The consumption token of a granted checkout; undefined when the licence had no seat left. */
    const checkout = async (): Promise<string | undefined> => {
      const clientToken = randomUUID();
      const { settled, unanswered } = await untilAnswered(record, () => sendCheckout(clientToken));
      ledger.unanswered += unanswered;
      if (settled.status === 'rejected') {
        if ((settled.reason as Error).name !== 'NoEntitlementsAllowedException') throw settled.reason;
        ledger.refusals++;
        return undefined;
      }
      ledger.checkedOut.set(clientToken, settled.value.LicenseConsumptionToken!);
      return settled.value.LicenseConsumptionToken!;
    };
    const checkIn = async (consumptionToken: string) => {
      const { settled, unanswered } = await untilAnswered(record, () =>
        customer.send(new CheckInLicenseCommand({ LicenseConsumptionToken: consumptionToken })),
      );
      ledger.unanswered += unanswered;
      // CheckInLicense has no ClientToken: asked again after an attempt that did go through, it finds the lease ended.
      const endedByAnUnansweredAttempt =
        settled.status === 'rejected' && unanswered > 0 && (settled.reason as Error).name === 'ConflictException';
      if (settled.status === 'rejected' && !endedByAnUnansweredAttempt) throw settled.reason;
      ledger.checkedIn.add(consumptionToken);
    };
    let kept = 0;
    // Whatever the timing, the load goes on until the licence has been full.
    const checkingOutAndIn = async (running: () => boolean) => {
      while (running() || kept < KEPT_SEATS || ledger.refusals === 0) {
        const consumptionToken = await checkout();
        if (consumptionToken) await checkIn(consumptionToken);
        else await sleep(20);
      }
    };
    const keeping = async () => {
      while (kept < KEPT_SEATS) {
        if (await checkout()) kept++;
        await sleep(KEEPING_PAUSE_MS);
      }
    };

    const outage = await crashDuringLoad(
      system,
      'grants',
      record,
      (running) =>
        Promise.all([
          ...Array.from({ length: PAIR_CLIENTS }, () => checkingOutAndIn(running)),
          ...Array.from({ length: KEEPING_CLIENTS }, keeping),
        ]),
      { beforeMs: 1_000, downMs: 300, afterMs: 1_000 },
    );
    // The kill caught requests on the wire, and every request the system left unanswered was caught by the outage.
    expect(outage.inFlightAtKill).toBeGreaterThan(0);
    expect(ledger.unanswered).toBeGreaterThan(0);
    expect(unansweredOutside(record, outage)).toEqual([]);
    expect(ledger.checkedIn.size).toBeGreaterThan(20);

    // Every acknowledged checkout, asked again with its ClientToken after the restart, is answered with its first lease.
    const replayed = await Promise.all([...ledger.checkedOut.keys()].map(sendCheckout));
    expect(replayed.map((answer) => answer.LicenseConsumptionToken)).toEqual([...ledger.checkedOut.values()]);

    const acknowledgedInUse = ledger.checkedOut.size - ledger.checkedIn.size;
    const { LicenseUsage } = await licenseManager(system, accounts.management).send(
      new GetLicenseUsageCommand({ LicenseArn: license.licenseArn }),
    );
    expect(LicenseUsage!.EntitlementUsages).toEqual([
      { Name: 'Seats', Unit: 'Count', ConsumedValue: String(acknowledgedInUse), MaxCount: String(MAX_SEATS) },
    ]);

    const { events, view } = await withSystemDatabase(system, async (db) => ({
      events: (
        await db.query(`select type, data from grants.events where stream_name = $1 order by stream_version`, [
          `license-usage-${license.licenseArn.split(':').pop()}`,
        ])
      ).rows,
      view: (
        await db.query(`select consumption_token, status from grants.license_consumptions where license_arn = $1`, [
          license.licenseArn,
        ])
      ).rows as {
        consumption_token: string;
        status: string;
      }[],
    }));
    const usage = foldUsage(events);
    expect(usage.eventTypes).toEqual(new Set(['LicenseCheckedOut', 'LicenseCheckedIn']));
    expect(usage.peakSeatsInUse).toBeLessThanOrEqual(MAX_SEATS);
    expect(usage.seatsInUse).toBe(acknowledgedInUse);
    // One checkout per ClientToken, and it is the one the client was told of; no checkout the client was not told of.
    // The events name a lease by its id, the first half of the token the client holds.
    expect(usage.checkoutsByClientToken).toEqual(
      new Map(
        [...ledger.checkedOut].map(([clientToken, consumptionToken]) => [
          clientToken,
          [leaseIdOfToken(consumptionToken)],
        ]),
      ),
    );
    expect(
      new Set([...usage.statuses].filter(([, status]) => status === 'CHECKED_IN').map(([lease]) => lease)),
    ).toEqual(new Set([...ledger.checkedIn].map(leaseIdOfToken)));

    // The view, written in the appends' transactions, holds what the events say: each checkout with its status, the same open leases.
    expect(new Map(view.map((row) => [row.consumption_token, row.status]))).toEqual(usage.statuses);
    expect(view.filter((row) => row.status === 'ACTIVE')).toHaveLength(acknowledgedInUse);
  });
});
