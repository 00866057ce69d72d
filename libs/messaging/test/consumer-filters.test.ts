import { describe, expect, it } from 'vitest';
import { filterConfig, narrowedSubjects, takesSeveralFilters } from '../src/consumer-filters';

describe('consumer filters: what a durable consumer asks JetStream to deliver', () => {
  const grants = 'lm.events.grants.>';

  it("narrows a service's every event to the types its appliers name, each once", () => {
    expect(
      narrowedSubjects(grants, [
        ['LicenseCreated', 'GrantCreated'],
        ['GrantCreated', 'GrantDeleted'],
      ]),
    ).toEqual(['lm.events.grants.GrantCreated', 'lm.events.grants.GrantDeleted', 'lm.events.grants.LicenseCreated']);
    expect(narrowedSubjects('lm.staging.events.grants.>', [['GrantCreated']])).toEqual([
      'lm.staging.events.grants.GrantCreated',
    ]);
  });

  it('keeps the subject when an applier takes every event, when it is one type already, or when no type is named', () => {
    expect(narrowedSubjects(grants, [['GrantCreated'], undefined])).toEqual([grants]);
    expect(narrowedSubjects('lm.events.licensing.ServiceSettingsUpdated', [['ServiceSettingsUpdated']])).toEqual([
      'lm.events.licensing.ServiceSettingsUpdated',
    ]);
    expect(narrowedSubjects(grants, [[]])).toEqual([grants]);
  });

  it('reads the versions from 2.10 on as taking several filters, and an unknown one as not', () => {
    expect(['2.9.25', '1.4.1', '', 'x'].map(takesSeveralFilters)).toEqual([false, false, false, false]);
    expect(takesSeveralFilters(undefined)).toBe(false);
    expect(['2.10.0', '2.10.27', '2.12.1-RC.1', '3.0.0'].map(takesSeveralFilters)).toEqual([true, true, true, true]);
  });

  it('configures one subject as filter_subject and several as filter_subjects, clearing the other for an update', () => {
    expect(filterConfig([grants])).toEqual({ filter_subject: grants, filter_subjects: undefined });
    expect(filterConfig(['a', 'b'])).toEqual({ filter_subject: undefined, filter_subjects: ['a', 'b'] });
  });
});
