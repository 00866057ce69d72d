import {
  assertCataloguedVersion,
  type Long,
  type CountedUnits,
  type DomainEventMessage,
  type LicenseEventMessage,
  type LicenseUsageEventMessage,
} from '@lm/contracts';
import { metricValue, type Dimension, type MetricSample } from './usage-metrics';

/**
 * Per-licence entitlement usage of seller-issued licences (the guide's "Usage dashboard"). AWS
 * names no metric for it: these follow the configuration metrics' style, per limited entitlement
 * (Unit other than None), with the dimensions LicenseArn and EntitlementName. The counts are in the
 * entitlement's own unit (License Manager's entitlement units are CloudWatch's StandardUnits).
 */
export const ENTITLEMENT_METRICS = [
  /** The units in use: consumed for good, plus leases that have not ended (GetLicenseUsage's ConsumedValue). */
  'LicenseEntitlementUsageCount',
  /** The entitlement's MaxCount in the licence's current version. */
  'TotalLicenseEntitlementUsageCount',
  /** In use as a percentage of MaxCount (unit Percent). */
  'LicenseEntitlementUsagePercentage',
] as const;

export type EntitlementMetricName = (typeof ENTITLEMENT_METRICS)[number];

/** Who holds consumed units: the consuming account, and the root buyer it consumes under (none for the issuer's own). */
interface Holder {
  accountId: string;
  rootBuyerAccountId?: string;
}

/** An open lease (provisional or borrowed): it counts until `expiresAt`, unless checked in or recorded as expired before. */
interface Lease extends Holder {
  counted: CountedUnits[];
  expiresAt: string;
}

/**
 * What reporting knows of one licence, folded from its own stream (issuer, entitlements) and its
 * usage stream (checkouts, check-ins, extensions, expiries, resets).
 */
export interface LicenceEntitlementUsage {
  licenseArn: string;
  issuerAccountId: string;
  /** The limited entitlements of the current version. */
  entitlements: Array<{ name: string; unit: string; maxCount?: number }>;
  /** Units consumed for good by PERPETUAL checkouts, per holder (key: holderKey). */
  perpetual: Record<string, Holder & { counted: CountedUnits[] }>;
  leases: Record<string, Lease>;
  /** Every account that has consumed the licence or is the root buyer of one that has: they see its points from then on. */
  consumers: string[];
  deleted: boolean;
}

const LICENCE_EVENTS = new Set(['LicenseCreated', 'LicenseVersionCreated', 'LicenseDeleted', 'LicenseRenewed']);
const USAGE_EVENTS = new Set([
  'LicenseCheckedOut',
  'LicenseCheckedIn',
  'LicenseConsumptionExtended',
  'LicenseConsumptionExpired',
  'LicenseUsageReset',
]);
/** The licence stream's other events: they advance its version and change nothing counted here. */
const OTHER_LICENCE_EVENTS = new Set(['LicenseExpired', 'LicenseTagged', 'LicenseUntagged']);

export type EntitlementUsageEvent = LicenseEventMessage | LicenseUsageEventMessage;

/** Which of a licence's two streams an event of grants belongs to, if either (read in stream order). */
export function licenceStreamOf(event: DomainEventMessage<object>): 'licence' | 'usage' | undefined {
  if (event.service !== 'grants') return undefined;
  if (USAGE_EVENTS.has(event.type)) return 'usage';
  if (LICENCE_EVENTS.has(event.type) || OTHER_LICENCE_EVENTS.has(event.type)) return 'licence';
  return undefined;
}

/** Whether the event's data is the contract's (the others of the licence stream are followed for their order only). */
export function isEntitlementUsageEvent(event: DomainEventMessage<object>): event is EntitlementUsageEvent {
  if (!LICENCE_EVENTS.has(event.type) && !USAGE_EVENTS.has(event.type)) return false;
  assertCataloguedVersion(event);
  return true;
}

/**
 * The licence's id (`l-<32 hex>`), which names both its streams (`license-<id>`,
 * `license-usage-<id>`): the row both streams' events meet on.
 */
export const licenceIdOfStream = (streamName: string) => streamName.slice(streamName.lastIndexOf('-l-') + 1);

const holderKey = (holder: Holder) => `${holder.accountId}/${holder.rootBuyerAccountId ?? ''}`;
const isLimited = (unit: string) => unit !== 'None';

/** Counts start again from zero (a new usage period): open leases stay, to be checked in or extended, but count nothing. */
function reset(usage: LicenceEntitlementUsage): LicenceEntitlementUsage {
  const leases = Object.fromEntries(
    Object.entries(usage.leases).map(([token, lease]) => [token, { ...lease, counted: [] }]),
  );
  return { ...usage, perpetual: {}, leases };
}

function withConsumers(usage: LicenceEntitlementUsage, holder: Holder): string[] {
  const accounts = new Set(usage.consumers);
  accounts.add(holder.accountId);
  if (holder.rootBuyerAccountId !== undefined) accounts.add(holder.rootBuyerAccountId);
  return [...accounts].sort();
}

function limitedEntitlements(license: {
  Entitlements: Array<{ Name: string; Unit: string; MaxCount?: Long }>;
}): LicenceEntitlementUsage['entitlements'] {
  return license.Entitlements.filter((e) => isLimited(e.Unit)).map((e) => ({
    name: e.Name,
    unit: e.Unit,
    ...(e.MaxCount === undefined ? {} : { maxCount: metricValue(e.MaxCount) }),
  }));
}

/**
 * The usage after one event of either stream; `undefined` when it changes nothing counted (or
 * concerns a licence whose creation was never seen, or one deleted).
 */
export function evolveEntitlementUsage(
  usage: LicenceEntitlementUsage | undefined,
  event: EntitlementUsageEvent,
): LicenceEntitlementUsage | undefined {
  if (event.type === 'LicenseCreated') {
    const { license, issuerAccountId } = event.data;
    return {
      licenseArn: license.LicenseArn,
      issuerAccountId,
      entitlements: limitedEntitlements(license),
      perpetual: {},
      leases: {},
      consumers: [],
      deleted: false,
    };
  }
  if (!usage || usage.deleted) return undefined;
  switch (event.type) {
    case 'LicenseVersionCreated': {
      const changed = { ...usage, entitlements: limitedEntitlements(event.data.license) };
      return event.data.resetUsage ? reset(changed) : changed;
    }
    case 'LicenseRenewed':
      return reset(usage);
    case 'LicenseUsageReset':
      return reset(usage);
    case 'LicenseDeleted':
      return { ...usage, deleted: true, perpetual: {}, leases: {} };
    case 'LicenseCheckedOut': {
      const { accountId, rootBuyerAccountId, counted, kind, consumptionToken, expiration } = event.data;
      const holder: Holder = rootBuyerAccountId === undefined ? { accountId } : { accountId, rootBuyerAccountId };
      const consumers = withConsumers(usage, holder);
      if (kind === 'PERPETUAL') {
        const key = holderKey(holder);
        const held = usage.perpetual[key]?.counted ?? [];
        return {
          ...usage,
          consumers,
          perpetual: { ...usage.perpetual, [key]: { ...holder, counted: addUnits(held, counted) } },
        };
      }
      return {
        ...usage,
        consumers,
        leases: { ...usage.leases, [consumptionToken]: { ...holder, counted, expiresAt: expiration } },
      };
    }
    case 'LicenseConsumptionExtended': {
      const lease = usage.leases[event.data.consumptionToken];
      if (!lease) return undefined;
      return {
        ...usage,
        leases: { ...usage.leases, [event.data.consumptionToken]: { ...lease, expiresAt: event.data.expiration } },
      };
    }
    case 'LicenseCheckedIn':
    case 'LicenseConsumptionExpired': {
      if (!usage.leases[event.data.consumptionToken]) return undefined;
      const { [event.data.consumptionToken]: _ended, ...leases } = usage.leases;
      return { ...usage, leases };
    }
    default:
      return undefined;
  }
}

function addUnits(held: readonly CountedUnits[], more: readonly CountedUnits[]): CountedUnits[] {
  const totals = held.map((units) => ({ ...units }));
  for (const units of more) {
    const same = totals.find((t) => t.name === units.name && t.unit === units.unit);
    if (same) same.units += units.units;
    else totals.push({ ...units });
  }
  return totals;
}

/**
 * Who sees the licence's points and what: the issuer (the seller) all its usage; a root buyer the
 * usage under it; a consuming account its own.
 */
function sees(viewer: string, usage: LicenceEntitlementUsage, holder: Holder): boolean {
  return viewer === usage.issuerAccountId || holder.accountId === viewer || holder.rootBuyerAccountId === viewer;
}

/** The accounts that see the licence's points: the seller, then every consumer and root buyer. */
export function viewersOf(usage: LicenceEntitlementUsage): string[] {
  return [usage.issuerAccountId, ...usage.consumers.filter((account) => account !== usage.issuerAccountId)];
}

/** Units of an entitlement in use at `at` that `viewer` sees: perpetual units, and leases that have not ended by then. */
export function consumedUnitsSeenBy(
  usage: LicenceEntitlementUsage,
  viewer: string,
  entitlement: { name: string; unit: string },
  at: Date,
): number {
  const holdings = [
    ...Object.values(usage.perpetual),
    ...Object.values(usage.leases).filter((lease) => Date.parse(lease.expiresAt) > at.getTime()),
  ];
  let total = 0;
  for (const holding of holdings) {
    if (!sees(viewer, usage, holding)) continue;
    for (const units of holding.counted)
      if (units.name === entitlement.name && units.unit === entitlement.unit) total += units.units;
  }
  return total;
}

/**
 * The accounts whose values an event changes (undefined: every account that sees the licence): a
 * checkout, check-in, extension or expiry changes what its holder, its root buyer and the seller
 * see, and nobody else's, so a licence consumed by many accounts writes a few points per event.
 */
export function accountsChangedBy(
  previous: LicenceEntitlementUsage | undefined,
  event: EntitlementUsageEvent,
): string[] | undefined {
  if (!previous) return undefined;
  const holder: Holder | undefined =
    event.type === 'LicenseCheckedOut'
      ? event.data
      : event.type === 'LicenseCheckedIn' ||
          event.type === 'LicenseConsumptionExtended' ||
          event.type === 'LicenseConsumptionExpired'
        ? previous.leases[event.data.consumptionToken]
        : undefined;
  if (!holder) return undefined;
  return [...new Set([previous.issuerAccountId, holder.accountId, holder.rootBuyerAccountId ?? holder.accountId])];
}

/**
 * The samples at `at` of each account that sees the licence (of those of `accounts`, when given):
 * nothing once it is deleted.
 */
export function entitlementSamples(
  usage: LicenceEntitlementUsage,
  at: Date,
  accounts?: readonly string[],
): Array<{ accountId: string; samples: MetricSample<EntitlementMetricName>[] }> {
  if (usage.deleted) return [];
  const viewers = viewersOf(usage).filter((accountId) => !accounts || accounts.includes(accountId));
  return viewers.map((accountId) => ({
    accountId,
    samples: usage.entitlements.flatMap((entitlement) => {
      const dimensions: Dimension[] = [
        { Name: 'LicenseArn', Value: usage.licenseArn },
        { Name: 'EntitlementName', Value: entitlement.name },
      ];
      const consumed = consumedUnitsSeenBy(usage, accountId, entitlement, at);
      const sample = (metricName: EntitlementMetricName, unit: string, value: number) => ({
        metricName,
        dimensions,
        unit,
        value,
      });
      const samples = [sample('LicenseEntitlementUsageCount', entitlement.unit, consumed)];
      if (entitlement.maxCount !== undefined) {
        samples.push(sample('TotalLicenseEntitlementUsageCount', entitlement.unit, entitlement.maxCount));
        if (entitlement.maxCount > 0)
          samples.push(sample('LicenseEntitlementUsagePercentage', 'Percent', (consumed / entitlement.maxCount) * 100));
      }
      return samples;
    }),
  }));
}
