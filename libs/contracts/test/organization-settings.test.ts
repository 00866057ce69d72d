import { describe, expect, it } from 'vitest';
import { organizationSettingsOf, type DomainEventMessage } from '../src';

const settingsUpdated = (data: Record<string, unknown>, changes: Partial<DomainEventMessage> = {}) => ({
  service: 'licensing',
  eventId: 'e-1',
  streamName: 'service-settings-111111111111-eu-west-1',
  streamVersion: 2,
  type: 'ServiceSettingsUpdated',
  schemaVersion: 1,
  recordedAt: '2026-03-01T00:00:00.000Z',
  data,
  ...changes,
});

describe("the organization settings of licensing's ServiceSettingsUpdated", () => {
  it('are the account, Region, organization link and cross-account discovery, with when licensing recorded them', () => {
    const event = settingsUpdated({
      accountId: '111111111111',
      region: 'eu-west-1',
      organizationId: 'o-lmdev00001',
      organizationIntegration: true,
      enableCrossAccountsDiscovery: true,
      enabledDiscoverySourceRegions: [],
      updatedAt: '2026-03-01T00:00:00.000Z',
    });
    expect(organizationSettingsOf(event, 'us-east-1')).toEqual({
      accountId: '111111111111',
      region: 'eu-west-1',
      organizationId: 'o-lmdev00001',
      organizationIntegration: true,
      enableCrossAccountsDiscovery: true,
      recordedAt: '2026-03-01T00:00:00.000Z',
    });
  });

  it("are the deployment's Region's and unlinked when the event says neither", () => {
    expect(organizationSettingsOf(settingsUpdated({ accountId: '111111111111' }), 'us-east-1')).toEqual({
      accountId: '111111111111',
      region: 'us-east-1',
      organizationId: null,
      organizationIntegration: false,
      enableCrossAccountsDiscovery: false,
      recordedAt: '2026-03-01T00:00:00.000Z',
    });
  });

  it('are none for another event, or one that names no account', () => {
    const data = { accountId: '111111111111' };
    expect(organizationSettingsOf(settingsUpdated(data, { type: 'LicenseConfigurationCreated' }), 'us-east-1')).toBe(
      undefined,
    );
    expect(organizationSettingsOf(settingsUpdated(data, { service: 'discovery' }), 'us-east-1')).toBe(undefined);
    expect(organizationSettingsOf(settingsUpdated({}), 'us-east-1')).toBe(undefined);
  });

  it('refuse data at a schema version this library does not read, to be delivered again', () => {
    expect(() =>
      organizationSettingsOf(settingsUpdated({ accountId: '111111111111' }, { schemaVersion: 2 }), 'us-east-1'),
    ).toThrow('licensing ServiceSettingsUpdated is at schema version 2; this consumer reads version 1');
  });
});
