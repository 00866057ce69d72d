import { describe, expect, it } from 'vitest';
import { consumerFilters, filterConfig, takesSeveralFilters } from '../src/consumer-filters';

describe('consumer filters: what a durable consumer asks JetStream to deliver', () => {
  const grants = 'lm.events.grants.>';

  it("on NATS 2.10 and later, narrows a service's every event to the types its appliers name, each once", () => {
    expect(
      consumerFilters(
        grants,
        [
          ['LicenseCreated', 'GrantCreated'],
          ['GrantCreated', 'GrantDeleted'],
        ],
        '2.10.27',
      ),
    ).toEqual(['lm.events.grants.GrantCreated', 'lm.events.grants.GrantDeleted', 'lm.events.grants.LicenseCreated']);
    expect(consumerFilters('lm.staging.events.grants.>', [['GrantCreated']], '2.11.0')).toEqual([
      'lm.staging.events.grants.GrantCreated',
    ]);
  });

  it('keeps the subject when an applier takes every event, when it is one type already, or when no type is named', () => {
    expect(consumerFilters(grants, [['GrantCreated'], undefined], '2.10.0')).toEqual([grants]);
    expect(
      consumerFilters('lm.events.licensing.ServiceSettingsUpdated', [['ServiceSettingsUpdated']], '2.10.0'),
    ).toEqual(['lm.events.licensing.ServiceSettingsUpdated']);
    expect(consumerFilters(grants, [[]], '2.10.0')).toEqual([grants]);
  });

  it('keeps the subject on a server that takes one filter only, or whose version it does not know', () => {
    expect(consumerFilters(grants, [['GrantCreated']], '2.9.10')).toEqual([grants]);
    expect(consumerFilters(grants, [['GrantCreated']], undefined)).toEqual([grants]);
  });

  it('reads the versions from 2.10 on as taking several filters', () => {
    expect(['2.9.25', '1.4.1', '', 'x'].map(takesSeveralFilters)).toEqual([false, false, false, false]);
    expect(['2.10.0', '2.10.27', '2.12.1-RC.1', '3.0.0'].map(takesSeveralFilters)).toEqual([true, true, true, true]);
  });

  it('configures one subject as filter_subject and several as filter_subjects, clearing the other for an update', () => {
    expect(filterConfig([grants])).toEqual({ filter_subject: grants, filter_subjects: undefined });
    expect(filterConfig(['a', 'b'])).toEqual({ filter_subject: undefined, filter_subjects: ['a', 'b'] });
  });
});
