import {
  assertCataloguedVersion,
  type DomainEventMessage,
  type LicenseConfigurationEventMessage,
  type LicenseConfigurationEventType,
  type LicenseEventMessage,
  type LicenseEventType,
} from '@lm/contracts';

/** Something that expires and whose owner is told: a license configuration or a seller-issued licence. */
export interface Expiring {
  resourceArn: string;
  kind: 'LICENSE_CONFIGURATION' | 'LICENSE';
  accountId: string;
  region: string;
  name: string;
  /** Null when it does not expire, or no longer matters (deleted). */
  expiresAt: Date | null;
}

/** What an event changes: a new expiring thing, or new values for the one of the event's stream. */
export type ExpiringChange =
  { kind: 'created'; expiring: Expiring } | { kind: 'changed'; name?: string; expiresAt?: Date | null };

/** The events whose data says what expires and when, and LicenseCountExceeded (a soft limit passed). */
const LICENSING_SOURCES = [
  'LicenseConfigurationCreated',
  'LicenseConfigurationUpdated',
  'LicenseConfigurationDeleted',
  'LicenseCountExceeded',
] as const satisfies readonly LicenseConfigurationEventType[];
const GRANTS_SOURCES = [
  'LicenseCreated',
  'LicenseVersionCreated',
  'LicenseRenewed',
  'LicenseDeleted',
] as const satisfies readonly LicenseEventType[];
/** The event types notifications read, of either service. */
export const NOTIFICATION_SOURCE_TYPES: readonly string[] = [...LICENSING_SOURCES, ...GRANTS_SOURCES];
const SOURCES: Readonly<Record<string, ReadonlySet<string>>> = {
  licensing: new Set(LICENSING_SOURCES),
  grants: new Set(GRANTS_SOURCES),
};

export type NotificationSourceEvent =
  LicenseConfigurationEventMessage<(typeof LICENSING_SOURCES)[number]> | LicenseEventMessage;

/**
 * Whether a message of licensing or grants is one notifications read: its data is the contract's,
 * at the version this build reads (another version throws, to be redelivered).
 */
export function isNotificationSource(event: DomainEventMessage<object>): event is NotificationSourceEvent {
  if (!Object.hasOwn(SOURCES, event.service) || !SOURCES[event.service].has(event.type)) return false;
  assertCataloguedVersion(event);
  return true;
}

const dateOrNull = (value: string | undefined) => (value === undefined ? null : new Date(value));

/**
 * What one of licensing's or grants' events changes of the expiries: a configuration's
 * LicenseExpiry (seconds since the epoch) or a licence's Validity.End; undefined for the others.
 */
export function expiringChange(event: NotificationSourceEvent): ExpiringChange | undefined {
  switch (event.type) {
    case 'LicenseConfigurationCreated':
      return {
        kind: 'created',
        expiring: {
          resourceArn: event.data.arn,
          kind: 'LICENSE_CONFIGURATION',
          accountId: event.data.ownerAccountId,
          region: event.data.region,
          name: event.data.name,
          expiresAt: configurationExpiry(event.data.licenseExpiry),
        },
      };
    case 'LicenseConfigurationUpdated': {
      const { changes } = event.data;
      const change: ExpiringChange = { kind: 'changed' };
      if (changes.name !== undefined) change.name = changes.name;
      if (Object.hasOwn(changes, 'licenseExpiry')) change.expiresAt = configurationExpiry(changes.licenseExpiry);
      return change.name === undefined && change.expiresAt === undefined ? undefined : change;
    }
    case 'LicenseCreated': {
      const { license } = event.data;
      return {
        kind: 'created',
        expiring: {
          resourceArn: license.LicenseArn,
          kind: 'LICENSE',
          accountId: event.data.issuerAccountId,
          region: license.HomeRegion,
          name: license.LicenseName,
          expiresAt: dateOrNull(license.Validity.End),
        },
      };
    }
    case 'LicenseVersionCreated': {
      const { license } = event.data;
      return { kind: 'changed', name: license.LicenseName, expiresAt: dateOrNull(license.Validity.End) };
    }
    case 'LicenseRenewed':
      return { kind: 'changed', expiresAt: new Date(event.data.newEnd) };
    case 'LicenseConfigurationDeleted':
    case 'LicenseDeleted':
      return { kind: 'changed', expiresAt: null };
    default:
      return undefined;
  }
}

/** LicenseExpiry is in seconds since the epoch (the API's timestamp as licensing keeps it). */
function configurationExpiry(value: number | undefined): Date | null {
  return value === undefined ? null : new Date(value * 1000);
}
