import type { DomainEventMessage } from '@lm/contracts';

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

type Data = Record<string, unknown>;

const dateOrNull = (value: unknown) => (typeof value === 'string' ? new Date(value) : null);

/**
 * What one of licensing's or grants' events changes of the expiries: a configuration's
 * LicenseExpiry (seconds since the epoch) or a licence's Validity.End; undefined for the others.
 */
export function expiringChange(
  event: Pick<DomainEventMessage, 'service' | 'type' | 'data'>,
): ExpiringChange | undefined {
  const data = event.data as Data;
  if (event.service === 'licensing') {
    switch (event.type) {
      case 'LicenseConfigurationCreated':
        return {
          kind: 'created',
          expiring: {
            resourceArn: String(data.arn),
            kind: 'LICENSE_CONFIGURATION',
            accountId: String(data.ownerAccountId),
            region: String(data.region),
            name: String(data.name),
            expiresAt: configurationExpiry(data.licenseExpiry),
          },
        };
      case 'LicenseConfigurationUpdated': {
        const changes = (data.changes ?? {}) as Data;
        const change: ExpiringChange = { kind: 'changed' };
        if (typeof changes.name === 'string') change.name = changes.name;
        if (Object.hasOwn(changes, 'licenseExpiry')) change.expiresAt = configurationExpiry(changes.licenseExpiry);
        return change.name === undefined && change.expiresAt === undefined ? undefined : change;
      }
      case 'LicenseConfigurationDeleted':
        return { kind: 'changed', expiresAt: null };
    }
    return undefined;
  }
  if (event.service === 'grants') {
    switch (event.type) {
      case 'LicenseCreated': {
        const license = data.license as Data;
        return {
          kind: 'created',
          expiring: {
            resourceArn: String(license.LicenseArn),
            kind: 'LICENSE',
            accountId: String(data.issuerAccountId),
            region: String(license.HomeRegion),
            name: String(license.LicenseName),
            expiresAt: dateOrNull((license.Validity as Data | undefined)?.End),
          },
        };
      }
      case 'LicenseVersionCreated': {
        const license = data.license as Data;
        return {
          kind: 'changed',
          name: String(license.LicenseName),
          expiresAt: dateOrNull((license.Validity as Data | undefined)?.End),
        };
      }
      case 'LicenseRenewed':
        return { kind: 'changed', expiresAt: dateOrNull(data.newEnd) };
      case 'LicenseDeleted':
        return { kind: 'changed', expiresAt: null };
    }
  }
  return undefined;
}

/** LicenseExpiry is in seconds since the epoch (the API's timestamp as licensing keeps it). */
function configurationExpiry(value: unknown): Date | null {
  return typeof value === 'number' ? new Date(value * 1000) : null;
}
