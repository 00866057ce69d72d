import type { LicenseManager } from '@lm/api-model';
import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { LicenseCommand } from '../src/licenses/domain/commands';
import { licenseDecider as decider } from '../src/licenses/domain/decide';
import type { LicenseEvent } from '../src/licenses/domain/events';
import { currentLicense } from '../src/licenses/domain/license';
import { renewedEnd } from '../src/licenses/domain/renewal';

const now = new Date('2026-01-01T00:00:00Z');
const arn = 'arn:aws:license-manager::111111111111:license:l-00000000000000000000000000000001';
const issuer = {
  Name: 'Example ISV',
  SignKey: 'arn:aws:kms:us-east-1:111111111111:key/k',
  KeyFingerprint: 'aws:111111111111:issuer:fp',
};
const context = { accountId: '111111111111', region: 'us-east-1', now };

const input: LicenseManager.CreateLicenseRequest = {
  LicenseName: 'Analytics Pro',
  ProductName: 'Analytics',
  ProductSKU: 'sku-1',
  Issuer: { Name: 'Example ISV', SignKey: 'k' },
  HomeRegion: 'us-east-1',
  Validity: { Begin: '2026-01-01T00:00:00Z', End: '2027-01-01T00:00:00Z' },
  Entitlements: [
    { Name: 'Users', Unit: 'Count', MaxCount: 10 },
    { Name: 'Tier', Unit: 'None', Value: 'Platinum' },
  ],
  Beneficiary: 'customer',
  ConsumptionConfiguration: { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
  ClientToken: 'create',
};
const create: LicenseCommand = {
  type: 'CreateLicense',
  arn,
  input,
  issuer,
  ...context,
  clientToken: 'create',
  requestHash: 'h1',
};

const versionInput = (
  overrides: Partial<LicenseManager.CreateLicenseVersionRequest> = {},
): LicenseManager.CreateLicenseVersionRequest => {
  const { ProductSKU: _sku, Beneficiary: _beneficiary, Tags: _tags, ...definition } = input;
  return { ...definition, LicenseArn: arn, Status: 'AVAILABLE', ClientToken: 'v', ...overrides };
};
const version = (
  overrides: Partial<LicenseManager.CreateLicenseVersionRequest> = {},
  token = 'v',
  hash = 'hv',
): LicenseCommand => ({
  type: 'CreateLicenseVersion',
  arn,
  input: versionInput({ ...overrides, ClientToken: token }),
  issuer,
  ...context,
  clientToken: token,
  requestHash: hash,
});
const remove = (sourceVersion: string, accountId = '111111111111'): LicenseCommand => ({
  type: 'DeleteLicense',
  arn,
  sourceVersion,
  ...context,
  accountId,
});

const { given } = DeciderSpecification.for(decider);

describe('licence decider', () => {
  const [created] = given([]).when(create).decided();
  const [v2] = given([created])
    .when(version({ SourceVersion: '1', ResetUsage: true }))
    .decided();

  it('creates version 1, AVAILABLE, with the resolved issuer key', () => {
    expect(created).toMatchObject({
      type: 'LicenseCreated',
      data: {
        issuerAccountId: '111111111111',
        clientToken: 'create',
        license: { LicenseArn: arn, Version: '1', Status: 'AVAILABLE', Issuer: issuer, CreateTime: now.toISOString() },
      },
    });
  });

  it('refuses invalid definitions', () => {
    const invalid = (changes: Partial<LicenseManager.CreateLicenseRequest>) =>
      given([]).when({ ...create, input: { ...input, ...changes } });
    invalid({ HomeRegion: 'eu-west-1' }).thenThrows({ code: 'RedirectException' });
    invalid({ Validity: { Begin: 'yesterday' } }).thenThrows({ code: 'ValidationException', message: /ISO 8601/ });
    invalid({ Validity: { Begin: '2026-01-01T00:00:00Z', End: '2025-01-01T00:00:00Z' } }).thenThrows({
      code: 'ValidationException',
      message: /after/,
    });
    invalid({ Entitlements: [] }).thenThrows({ code: 'ValidationException', message: /at least one/ });
    invalid({ Entitlements: [{ Name: 'a', Unit: 'None', MaxCount: 1 }] }).thenThrows({
      code: 'ValidationException',
      message: /Value, not a MaxCount/,
    });
    invalid({ Entitlements: [{ Name: 'a', Unit: 'Count', Value: 'x' }] }).thenThrows({
      code: 'ValidationException',
      message: /MaxCount, not a Value/,
    });
    invalid({ Entitlements: [{ Name: 'a', Unit: 'Count', MaxCount: -1 }] }).thenThrows({
      code: 'ValidationException',
      message: /non-negative/,
    });
    invalid({
      Entitlements: [
        { Name: 'a', Unit: 'Count' },
        { Name: 'a', Unit: 'Bytes' },
      ],
    }).thenThrows({ code: 'ValidationException', message: /unique/ });
    invalid({ ConsumptionConfiguration: { RenewType: 'Monthly' } }).thenThrows({
      code: 'ValidationException',
      message: /Provisional/,
    });
    invalid({
      ConsumptionConfiguration: { BorrowConfiguration: { AllowEarlyCheckIn: true, MaxTimeToLiveInMinutes: 0 } },
    }).thenThrows({ code: 'ValidationException' });
    invalid({ LicenseName: ' ' }).thenThrows({ code: 'ValidationException', message: /LicenseName/ });
    invalid({ LicenseName: 'x'.repeat(151) }).thenThrows({ code: 'ValidationException', message: /150/ });
  });

  it('makes version 2 replacing the definition, and records ResetUsage for consumption', () => {
    expect(v2).toMatchObject({
      type: 'LicenseVersionCreated',
      data: {
        licenseArn: arn,
        version: '2',
        sourceVersion: '1',
        resetUsage: true,
        license: { Version: '2', ProductSKU: 'sku-1', Beneficiary: 'customer' },
      },
    });
    given([created])
      .when(version({ Status: 'SUSPENDED' }))
      .then((events) =>
        expect(events).toMatchObject([{ data: { license: { Status: 'SUSPENDED' }, resetUsage: false } }]),
      );
  });

  it('refuses a stale SourceVersion, other statuses, another home Region and other accounts', () => {
    given([created, v2])
      .when(version({ SourceVersion: '1' }, 'v3'))
      .thenThrows({ code: 'ConflictException', message: /version 2, not 1/ });
    given([created])
      .when(version({ Status: 'DELETED' }))
      .thenThrows({ code: 'ValidationException', message: /DeleteLicense/ });
    given([created])
      .when(version({ Status: 'PENDING_DELETE' }))
      .thenThrows({ code: 'ValidationException' });
    given([created])
      .when(version({ HomeRegion: 'eu-west-1' }))
      .thenThrows({ code: 'ValidationException', message: /HomeRegion cannot change/ });
    given([created])
      .when({ ...version(), accountId: '333333333333' } as LicenseCommand)
      .thenThrows({ code: 'ResourceNotFoundException' });
    given([created])
      .when({ ...version(), region: 'eu-west-1' } as LicenseCommand)
      .thenThrows({ code: 'RedirectException' });
    given([]).when(version()).thenThrows({ code: 'ResourceNotFoundException' });
  });

  it('answers a retried version with nothing new, and refuses its ClientToken for another request', () => {
    given([created, v2])
      .when(version({ SourceVersion: '1', ResetUsage: true }))
      .thenNothing();
    given([created, v2])
      .when(version({ Status: 'SUSPENDED' }, 'v', 'other'))
      .thenThrows({ code: 'ValidationException', message: /ClientToken/ });
    given([created])
      .when(version({}, 'create', 'other'))
      .thenThrows({ code: 'ValidationException', message: /ClientToken/ });
  });

  it('deletes at the current version only, then refuses every change', () => {
    given([created, v2]).when(remove('1')).thenThrows({ code: 'ConflictException' });
    given([created, v2]).when(remove('2', '222222222222')).thenThrows({ code: 'ResourceNotFoundException' });
    const deleted = given([created, v2])
      .when(remove('2'))
      .then([{ type: 'LicenseDeleted', data: { licenseArn: arn, version: '2', deletionDate: now.toISOString() } }]);
    given([created, v2, ...deleted])
      .when(remove('2'))
      .thenThrows({ code: 'ValidationException', message: /deleted/ });
    given([created, v2, ...deleted])
      .when(version({}, 'v3'))
      .thenThrows({ code: 'ValidationException', message: /deleted/ });
  });

  describe('expiry', () => {
    const end = new Date('2027-01-01T00:00:00Z');
    const expire = (at: Date): LicenseCommand => ({ type: 'EndLicenseTerm', arn, now: at });
    const [expired] = given([created, v2]).when(expire(end)).decided();
    const statusAfter = (...events: LicenseEvent[]) => {
      const { state } = given(events);
      return state.status === 'present' ? currentLicense(state.license).Status : undefined;
    };

    it('expires the current version once its Validity.End has passed, in place', () => {
      expect(expired).toEqual({
        type: 'LicenseExpired',
        data: { licenseArn: arn, version: '2', validityEnd: '2027-01-01T00:00:00Z', expiredAt: end.toISOString() },
      });
      expect(statusAfter(created, v2, expired)).toBe('EXPIRED');
      const { state } = given([created, v2, expired]);
      expect(state.status === 'present' && state.license.versions.map((v) => v.Status)).toEqual([
        'AVAILABLE',
        'AVAILABLE',
      ]);
      const [pending] = given([created])
        .when(version({ Status: 'PENDING_AVAILABLE' }))
        .decided();
      given([created, pending])
        .when(expire(end))
        .then((events) => expect(events).toMatchObject([{ type: 'LicenseExpired' }]));
    });

    it('refuses a licence not due, already expired, deleted, in another status or absent', () => {
      given([created, v2])
        .when(expire(new Date(end.getTime() - 1)))
        .thenThrows({ code: 'ValidationException', message: /not due/ });
      const [perpetual] = given([created])
        .when(version({ Validity: { Begin: '2026-01-01T00:00:00Z' } }))
        .decided();
      given([created, perpetual])
        .when(expire(end))
        .thenThrows({ code: 'ValidationException', message: /no end/ });
      given([created, v2, expired])
        .when(expire(end))
        .thenThrows({ code: 'ValidationException', message: /EXPIRED/ });
      const [deleted] = given([created, v2]).when(remove('2')).decided();
      given([created, v2, deleted])
        .when(expire(end))
        .thenThrows({ code: 'ValidationException', message: /DELETED/ });
      const [suspended] = given([created])
        .when(version({ Status: 'SUSPENDED' }))
        .decided();
      given([created, suspended])
        .when(expire(end))
        .thenThrows({ code: 'ValidationException', message: /SUSPENDED/ });
      given([]).when(expire(end)).thenThrows({ code: 'ResourceNotFoundException' });
    });

    it('is revived by a new version with a later end, and can still be deleted', () => {
      const [revived] = given([created, v2, expired])
        .when(
          version(
            { SourceVersion: '2', Validity: { Begin: '2026-01-01T00:00:00Z', End: '2028-01-01T00:00:00Z' } },
            'v3',
          ),
        )
        .decided();
      expect(revived).toMatchObject({
        type: 'LicenseVersionCreated',
        data: { version: '3', license: { Status: 'AVAILABLE' } },
      });
      expect(statusAfter(created, v2, expired, revived)).toBe('AVAILABLE');
      given([created, v2, expired, revived])
        .when(expire(end))
        .thenThrows({ code: 'ValidationException', message: /not due/ });
      given([created, v2, expired])
        .when(remove('2'))
        .then((events) => expect(events).toMatchObject([{ type: 'LicenseDeleted' }]));
    });
  });

  describe('renewal', () => {
    const endTerm = (at: string): LicenseCommand => ({ type: 'EndLicenseTerm', arn, now: new Date(at) });
    const subscription = (
      renewType: LicenseManager.RenewType | undefined,
      end: string,
      status: LicenseManager.LicenseStatus = 'AVAILABLE',
    ) =>
      given([created])
        .when(
          version({
            Status: status,
            Validity: { Begin: '2026-01-01T00:00:00Z', End: end },
            ConsumptionConfiguration: {
              RenewType: renewType,
              ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 },
            },
          }),
        )
        .decided()[0];
    const weekly = subscription('Weekly', '2026-03-02T09:30:00Z');
    const current = (...events: LicenseEvent[]) => {
      const { state } = given(events);
      return state.status === 'present'
        ? { license: currentLicense(state.license), versions: state.license.versions }
        : undefined;
    };

    it('renews a weekly subscription by a week from its end, in place, and again from the renewed end', () => {
      const [renewed] = given([created, weekly])
        .when(endTerm('2026-03-02T09:30:00Z'))
        .then([
          {
            type: 'LicenseRenewed',
            data: {
              licenseArn: arn,
              version: '2',
              previousEnd: '2026-03-02T09:30:00Z',
              newEnd: '2026-03-09T09:30:00.000Z',
              renewedAt: '2026-03-02T09:30:00.000Z',
            },
          },
        ]);
      const after = current(created, weekly, renewed)!;
      expect(after.license).toMatchObject({
        Version: '2',
        Status: 'AVAILABLE',
        Validity: { End: '2026-03-09T09:30:00.000Z' },
      });
      expect(after.versions.map((v) => v.Validity.End)).toEqual(['2027-01-01T00:00:00Z', '2026-03-02T09:30:00Z']);
      given([created, weekly, renewed])
        .when(endTerm('2026-03-09T09:29:59Z'))
        .thenThrows({ code: 'ValidationException', message: /not due/ });
      given([created, weekly, renewed])
        .when(endTerm('2026-03-09T09:30:00Z'))
        .then((events) =>
          expect(events).toMatchObject([
            {
              type: 'LicenseRenewed',
              data: { previousEnd: '2026-03-09T09:30:00.000Z', newEnd: '2026-03-16T09:30:00.000Z' },
            },
          ]),
        );
    });

    it('skips the periods nobody swept: one renewal to the first end after now', () => {
      given([created, weekly])
        .when(endTerm('2026-03-23T10:00:00Z'))
        .then((events) =>
          expect(events).toMatchObject([
            {
              type: 'LicenseRenewed',
              data: { previousEnd: '2026-03-02T09:30:00Z', newEnd: '2026-03-30T09:30:00.000Z' },
            },
          ]),
        );
      // An end exactly at now has passed: the next one is due.
      given([created, weekly])
        .when(endTerm('2026-03-16T09:30:00Z'))
        .then((events) => expect(events).toMatchObject([{ data: { newEnd: '2026-03-23T09:30:00.000Z' } }]));
    });

    it('renews monthly to the same day of the month, the last day of a shorter month, counted from the issued end', () => {
      const monthly = subscription('Monthly', '2026-01-31T00:00:00Z');
      const [february] = given([created, monthly]).when(endTerm('2026-02-01T00:00:00Z')).decided();
      expect(february).toMatchObject({
        type: 'LicenseRenewed',
        data: { previousEnd: '2026-01-31T00:00:00Z', newEnd: '2026-02-28T00:00:00.000Z' },
      });
      const [march] = given([created, monthly, february]).when(endTerm('2026-02-28T00:00:00Z')).decided();
      expect(march).toMatchObject({
        data: { previousEnd: '2026-02-28T00:00:00.000Z', newEnd: '2026-03-31T00:00:00.000Z' },
      });
      given([created, monthly, february, march])
        .when(endTerm('2026-03-31T00:00:00Z'))
        .then((events) => expect(events).toMatchObject([{ data: { newEnd: '2026-04-30T00:00:00.000Z' } }]));
      given([created, monthly])
        .when(endTerm('2026-05-15T00:00:00Z'))
        .then((events) => expect(events).toMatchObject([{ data: { newEnd: '2026-05-31T00:00:00.000Z' } }]));
    });

    it('renews a new version from its own end', () => {
      const [renewed] = given([created, weekly]).when(endTerm('2026-03-02T09:30:00Z')).decided();
      const [v3] = given([created, weekly, renewed])
        .when(
          version(
            { SourceVersion: '2', Validity: { Begin: '2026-01-01T00:00:00Z', End: '2026-06-01T00:00:00Z' } },
            'v3',
          ),
        )
        .decided();
      expect(current(created, weekly, renewed, v3)!.license.Validity.End).toBe('2026-06-01T00:00:00Z');
    });

    it('expires a licence without RenewType, with None, or not yet AVAILABLE; a deactivated or suspended one does neither', () => {
      const due = '2026-03-02T09:30:00Z';
      given([created, subscription(undefined, due)])
        .when(endTerm(due))
        .then((events) => expect(events).toMatchObject([{ type: 'LicenseExpired' }]));
      given([created, subscription('None', due)])
        .when(endTerm(due))
        .then((events) => expect(events).toMatchObject([{ type: 'LicenseExpired' }]));
      given([created, subscription('Monthly', due, 'PENDING_AVAILABLE')])
        .when(endTerm(due))
        .then((events) => expect(events).toMatchObject([{ type: 'LicenseExpired' }]));
      given([created, subscription('Weekly', due, 'DEACTIVATED')])
        .when(endTerm(due))
        .thenThrows({ code: 'ValidationException', message: /DEACTIVATED/ });
      given([created, subscription('Monthly', due, 'SUSPENDED')])
        .when(endTerm(due))
        .thenThrows({ code: 'ValidationException', message: /SUSPENDED/ });
    });
  });
});

describe('renewedEnd (the renewal date rule, UTC)', () => {
  const at = (iso: string) => new Date(iso);

  it('adds whole weeks past now', () => {
    expect(renewedEnd('2026-03-02T09:30:00Z', 'Weekly', at('2026-03-02T09:30:00Z')).toISOString()).toBe(
      '2026-03-09T09:30:00.000Z',
    );
    expect(renewedEnd('2026-03-02T09:30:00Z', 'Weekly', at('2026-03-23T09:29:59Z')).toISOString()).toBe(
      '2026-03-23T09:30:00.000Z',
    );
    expect(renewedEnd('2026-03-02T09:30:00Z', 'Weekly', at('2026-03-23T09:30:00Z')).toISOString()).toBe(
      '2026-03-30T09:30:00.000Z',
    );
  });

  it('adds calendar months, keeping the time of day, clamped to the last day of a shorter month', () => {
    expect(renewedEnd('2026-01-31T00:00:00Z', 'Monthly', at('2026-01-31T00:00:00Z')).toISOString()).toBe(
      '2026-02-28T00:00:00.000Z',
    );
    expect(renewedEnd('2028-01-31T00:00:00Z', 'Monthly', at('2028-01-31T00:00:00Z')).toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
    expect(renewedEnd('2026-01-31T00:00:00Z', 'Monthly', at('2026-03-15T00:00:00Z')).toISOString()).toBe(
      '2026-03-31T00:00:00.000Z',
    );
    expect(renewedEnd('2026-03-31T18:00:00Z', 'Monthly', at('2026-04-30T18:00:00Z')).toISOString()).toBe(
      '2026-05-31T18:00:00.000Z',
    );
    expect(renewedEnd('2026-12-15T12:00:00Z', 'Monthly', at('2026-12-15T12:00:00Z')).toISOString()).toBe(
      '2027-01-15T12:00:00.000Z',
    );
    expect(renewedEnd('2025-11-30T00:00:00Z', 'Monthly', at('2026-02-10T00:00:00Z')).toISOString()).toBe(
      '2026-02-28T00:00:00.000Z',
    );
  });

  it('counts in UTC whatever offset the end was written with', () => {
    expect(renewedEnd('2026-01-31T22:00:00-05:00', 'Monthly', at('2026-02-01T03:00:00Z')).toISOString()).toBe(
      '2026-03-01T03:00:00.000Z',
    );
  });
});
