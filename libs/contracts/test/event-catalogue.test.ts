import { describe, expect, it } from 'vitest';
import { eventSchemaVersion } from '../src';

describe('the event catalogue', () => {
  it('gives the version each service publishes an event type at', () => {
    expect(eventSchemaVersion('licensing', 'ServiceSettingsUpdated')).toBe(1);
    expect(eventSchemaVersion('discovery', 'ResourceObserved')).toBe(1);
    expect(eventSchemaVersion('grants', 'LicenseCheckedOut')).toBe(1);
  });

  it('puts a type outside the catalogue at its first version, whatever its name', () => {
    expect(eventSchemaVersion('msgtest', 'ThingCreated')).toBe(1);
    expect(eventSchemaVersion('licensing', 'toString')).toBe(1);
    expect(eventSchemaVersion('constructor', 'ThingCreated')).toBe(1);
  });
});
