import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { GrantCommand } from '../src/grants/domain/commands';
import { grantDecider as decider } from '../src/grants/domain/decide';
import type { GrantEvent } from '../src/grants/domain/events';
import type { GrantState } from '../src/grants/domain/grant';

const now = new Date('2026-01-01T00:00:00Z');
const region = 'us-east-1';
const licenseArn = 'arn:aws:license-manager::111111111111:license:l-00000000000000000000000000000001';
const arn = 'arn:aws:license-manager::111111111111:grant:g-00000000000000000000000000000001';
const organization = { id: 'o-lmdev00001', managementAccountId: '111111111111', rootId: 'r-lmdv' };
const memberAccounts = [
  { accountId: '111111111111', organizationalUnitPath: ['r-lmdv'] },
  { accountId: '222222222222', organizationalUnitPath: ['ou-lmdv-engineering', 'r-lmdv'] },
  { accountId: '444444444444', organizationalUnitPath: ['ou-lmdv-platform', 'ou-lmdv-engineering', 'r-lmdv'] },
];
const callers: Record<'grantor' | 'grantee' | 'nested' | 'stranger', Caller> = {
  grantor: {
    accountId: '111111111111',
    principalArn: 'arn:aws:iam::111111111111:root',
    accessKeyId: 'A',
    region,
    organization: {
      ...organization,
      organizationalUnitPath: ['r-lmdv'],
      memberAccountIds: memberAccounts.map((m) => m.accountId),
      memberAccounts,
    },
  },
  grantee: {
    accountId: '222222222222',
    principalArn: 'arn:aws:iam::222222222222:root',
    accessKeyId: 'B',
    region,
    organization: { ...organization, organizationalUnitPath: ['ou-lmdv-engineering', 'r-lmdv'] },
  },
  nested: {
    accountId: '444444444444',
    principalArn: 'arn:aws:iam::444444444444:root',
    accessKeyId: 'D',
    region,
    organization: { ...organization, organizationalUnitPath: ['ou-lmdv-platform', 'ou-lmdv-engineering', 'r-lmdv'] },
  },
  stranger: { accountId: '333333333333', principalArn: 'arn:aws:iam::333333333333:root', accessKeyId: 'C', region },
};
const license = {
  licenseArn,
  issuerAccountId: '111111111111',
  issuerName: 'Example ISV',
  productSku: 'sku-1',
  homeRegion: region,
  deleted: false,
};
const operations: LicenseManager.AllowedOperation[] = ['CheckoutLicense', 'CreateGrant'];
const ORGANIZATION = 'arn:aws:organizations::111111111111:organization/o-lmdev00001';
const ENGINEERING_OU = 'arn:aws:organizations::111111111111:ou/o-lmdev00001/ou-lmdv-engineering';

const createInput = (
  principal: string,
  changes: Partial<LicenseManager.CreateGrantRequest> = {},
): LicenseManager.CreateGrantRequest => ({
  ClientToken: 'c',
  GrantName: 'to the member',
  LicenseArn: licenseArn,
  Principals: [principal],
  HomeRegion: region,
  AllowedOperations: operations,
  ...changes,
});
const create = (
  principal = 'arn:aws:iam::222222222222:root',
  changes: Partial<LicenseManager.CreateGrantRequest> = {},
  caller = callers.grantor,
): GrantCommand => ({
  type: 'CreateGrant',
  arn,
  input: createInput(principal, changes),
  license,
  autoAccepted: false,
  caller,
  region,
  now,
  clientToken: 'c',
  requestHash: 'h',
});
const distribute: GrantCommand = { type: 'CompleteDistribution', subGrantArns: [], now };
const fail: GrantCommand = { type: 'FailDistribution', statusReason: 'quota', now };
const finishDeletion: GrantCommand = { type: 'CompleteDeletion', now };

let tokens = 0;
const version = (
  caller: Caller,
  input: Partial<LicenseManager.CreateGrantVersionRequest>,
  activeForSameProduct: string[] = [],
): GrantCommand => {
  const token = `v${++tokens}`;
  return {
    type: 'CreateGrantVersion',
    input: { GrantArn: arn, ClientToken: token, ...input },
    activeForSameProduct,
    caller,
    region,
    now,
    clientToken: token,
    requestHash: token,
  };
};
const accept = (caller = callers.grantee): GrantCommand => ({ type: 'AcceptGrant', arn, caller, region, now });
const reject = (caller = callers.grantee): GrantCommand => ({ type: 'RejectGrant', arn, caller, region, now });
const remove = (grantVersion: string, caller = callers.grantor): GrantCommand => ({
  type: 'DeleteGrant',
  arn,
  version: grantVersion,
  caller,
  region,
  now,
});

const { given, history } = DeciderSpecification.for(decider);
const statusOf = (state: GrantState) => (state.status === 'present' ? state.aggregate.grant.GrantStatus : 'absent');

describe('grant decider', () => {
  const created = history(create());
  const pending = given(created).state;
  const accepted = history(create(), accept());
  const active = history(create(), accept(), version(callers.grantee, { Status: 'ACTIVE' }));
  const deactivated = history(
    create(),
    accept(),
    version(callers.grantee, { Status: 'ACTIVE' }),
    version(callers.grantee, { Status: 'DISABLED' }),
  );
  const rejected = history(create(), reject());
  const deleted = history(create(), remove('1'));
  const pendingWorkflow = history(create(ENGINEERING_OU));
  const distributed = history(create(ENGINEERING_OU), distribute);
  const failedWorkflow = history(create(ENGINEERING_OU), fail);
  const pendingDelete = history(create(ENGINEERING_OU), distribute, remove('2'));

  it('creates a PENDING_ACCEPT grant to an account, whose parent is the licence', () => {
    expect(statusOf(pending)).toBe('PENDING_ACCEPT');
    expect(pending.status === 'present' && pending.aggregate.grant).toMatchObject({
      ParentArn: licenseArn,
      Version: '1',
      GrantedOperations: operations,
    });
  });

  it('makes an organization or OU grant PENDING_WORKFLOW with the accounts it covers now (nested OUs included, not the grantor); others may not make them', () => {
    const coveredBy = (principal: string) =>
      (history(create(principal))[0] as Extract<GrantEvent, { type: 'GrantCreated' }>).data;
    expect(coveredBy(ORGANIZATION)).toMatchObject({
      grant: { GrantStatus: 'PENDING_WORKFLOW' },
      coveredAccountIds: ['222222222222', '444444444444'],
    });
    expect(coveredBy(ENGINEERING_OU)).toMatchObject({
      grant: { GrantStatus: 'PENDING_WORKFLOW' },
      coveredAccountIds: ['222222222222', '444444444444'],
    });
    expect(coveredBy('arn:aws:organizations::111111111111:ou/o-lmdev00001/ou-lmdv-platform').coveredAccountIds).toEqual(
      ['444444444444'],
    );
    given([])
      .when(create(ORGANIZATION, {}, callers.grantee))
      .thenThrows({ code: 'ValidationException' });
    given([])
      .when(create('arn:aws:organizations::111111111111:organization/o-otherorg01'))
      .thenThrows({ code: 'ValidationException' });
  });

  it('accepts an account grant at once (DISABLED) when the management account linked its organization', () => {
    given([])
      .when({ ...create(), autoAccepted: true } as GrantCommand)
      .thenState((state) => expect(statusOf(state)).toBe('DISABLED'));
  });

  it('refuses bad grants', () => {
    const refused = (command: GrantCommand, code = 'ValidationException') =>
      given([]).when(command).thenThrows({ code });
    refused(create('arn:aws:iam::222222222222:user/bob'));
    refused(create('arn:aws:iam::111111111111:root'));
    refused(create(undefined, { Principals: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::444444444444:root'] }));
    refused(create(undefined, { AllowedOperations: [] }));
    refused(create(undefined, { AllowedOperations: ['CheckoutLicense', 'CheckoutLicense'] }));
    refused(create(undefined, { GrantName: ' ' }));
    refused(create(undefined, { HomeRegion: 'eu-west-1' }));
    refused({ ...create(), license: { ...license, deleted: true } } as GrantCommand);
    refused(
      {
        ...create(),
        license: { ...license, homeRegion: 'eu-west-1' },
        input: createInput('arn:aws:iam::222222222222:root', { HomeRegion: 'eu-west-1' }),
      } as GrantCommand,
      'RedirectException',
    );
  });

  it('limits a sub-grant to the operations of the grant it derives from', () => {
    const parent = {
      grantArn: 'arn:aws:license-manager::111111111111:grant:g-parent',
      grantedOperations: ['CheckoutLicense'] as LicenseManager.AllowedOperation[],
    };
    const sub = (ops: LicenseManager.AllowedOperation[]) =>
      ({
        ...create('arn:aws:iam::444444444444:root', { AllowedOperations: ops }, callers.grantee),
        parent,
      }) as GrantCommand;
    given([])
      .when(sub(['CheckoutLicense', 'CreateToken']))
      .thenThrows({ message: /CreateToken/ });
    given([])
      .when(sub(['CheckoutLicense']))
      .then((events) => expect(events).toMatchObject([{ data: { grant: { ParentArn: parent.grantArn } } }]));
  });

  /**
   * The state table: for each status, what each command does (a status, the error's code, or
   * 'unchanged' for a workflow step that has nothing to do). An organization or OU grant covers
   * nobody itself: its member accounts answer their own sub-grants.
   */
  const V = 'ValidationException';
  const N = 'ResourceNotFoundException';
  const idle = { distribute: 'unchanged', fail: 'unchanged', finishDeletion: 'unchanged' };
  const table: [string, GrantEvent[], Record<string, string>][] = [
    [
      'PENDING_ACCEPT',
      created,
      { accept: 'DISABLED', reject: 'REJECTED', activate: V, deactivate: V, delete: 'DELETED', ...idle },
    ],
    [
      'ACTIVE',
      active,
      { accept: V, reject: V, activate: 'ACTIVE', deactivate: 'DISABLED', delete: 'DELETED', ...idle },
    ],
    [
      'DISABLED',
      accepted,
      { accept: V, reject: V, activate: 'ACTIVE', deactivate: 'DISABLED', delete: 'DELETED', ...idle },
    ],
    [
      'DISABLED',
      deactivated,
      { accept: V, reject: V, activate: 'ACTIVE', deactivate: 'DISABLED', delete: 'DELETED', ...idle },
    ],
    ['REJECTED', rejected, { accept: V, reject: V, activate: V, deactivate: V, delete: 'DELETED', ...idle }],
    ['DELETED', deleted, { accept: V, reject: V, activate: V, deactivate: V, delete: V, ...idle }],
    [
      'PENDING_WORKFLOW',
      pendingWorkflow,
      {
        accept: N,
        reject: N,
        activate: N,
        deactivate: V,
        delete: 'PENDING_DELETE',
        distribute: 'WORKFLOW_COMPLETED',
        fail: 'FAILED_WORKFLOW',
        finishDeletion: 'unchanged',
      },
    ],
    [
      'WORKFLOW_COMPLETED',
      distributed,
      { accept: N, reject: N, activate: N, deactivate: 'WORKFLOW_COMPLETED', delete: 'PENDING_DELETE', ...idle },
    ],
    [
      'FAILED_WORKFLOW',
      failedWorkflow,
      { accept: N, reject: N, activate: N, deactivate: V, delete: 'DELETED', ...idle },
    ],
    [
      'PENDING_DELETE',
      pendingDelete,
      {
        accept: N,
        reject: N,
        activate: N,
        deactivate: V,
        delete: V,
        distribute: 'unchanged',
        fail: 'unchanged',
        finishDeletion: 'DELETED',
      },
    ],
  ];
  for (const [status, events, outcomes] of table) {
    it(`from ${status}: ${Object.entries(outcomes)
      .map(([c, o]) => `${c} -> ${o}`)
      .join(', ')}`, () => {
      const state = given(events).state;
      expect(statusOf(state)).toBe(status);
      const currentVersion = state.status === 'present' ? state.aggregate.grant.Version : '';
      const commands: Record<string, GrantCommand> = {
        accept: accept(),
        reject: reject(),
        activate: version(callers.grantee, { Status: 'ACTIVE' }),
        deactivate: version(callers.grantor, { Status: 'DISABLED' }),
        delete: remove(currentVersion),
        distribute,
        fail,
        finishDeletion,
      };
      for (const [name, outcome] of Object.entries(outcomes)) {
        const when = given(events).when(commands[name]);
        if (outcome.endsWith('Exception')) when.thenThrows({ code: outcome });
        else if (outcome === 'unchanged') when.thenNothing();
        else {
          when.thenState((next) => {
            expect(statusOf(next), name).toBe(outcome);
            expect(next.status === 'present' && next.aggregate.grant.Version, name).toBe(
              String(Number(currentVersion) + 1),
            );
          });
        }
      }
    });
  }

  it('lets only the grantee answer, only the grantor delete or rename; strangers see nothing', () => {
    given(created).when(accept(callers.grantor)).thenThrows({ code: 'AuthorizationException' });
    given(created).when(reject(callers.grantor)).thenThrows({ code: 'AuthorizationException' });
    given(active).when(remove('2', callers.grantee)).thenThrows({ code: 'AuthorizationException' });
    given(active)
      .when(version(callers.grantee, { GrantName: 'mine' }))
      .thenThrows({ code: 'AuthorizationException' });
    given(active)
      .when(version(callers.grantor, { GrantName: 'renamed', AllowedOperations: ['CheckoutLicense'] }))
      .then((events) =>
        expect(events).toMatchObject([
          { type: 'GrantVersionCreated', data: { grantName: 'renamed', grantedOperations: ['CheckoutLicense'] } },
        ]),
      );
    for (const command of [
      accept(callers.stranger),
      reject(callers.stranger),
      remove('2', callers.stranger),
      version(callers.stranger, { Status: 'DISABLED' }),
    ]) {
      given(active).when(command).thenThrows({ code: 'ResourceNotFoundException' });
    }
    given([]).when(accept()).thenThrows({ code: 'ResourceNotFoundException' });
  });

  it('refuses stale versions, statuses other than ACTIVE and DISABLED, and Options without an activation', () => {
    given(active)
      .when(version(callers.grantor, { Status: 'DISABLED', SourceVersion: '1' }))
      .thenThrows({ code: 'ConflictException' });
    given(active).when(remove('1')).thenThrows({ code: 'ConflictException' });
    given(accepted)
      .when(version(callers.grantor, { Status: 'PENDING_ACCEPT' }))
      .thenThrows({ code: 'ValidationException' });
    given(active)
      .when(
        version(callers.grantor, {
          Status: 'DISABLED',
          Options: { ActivationOverrideBehavior: 'ALL_GRANTS_PERMITTED_BY_ISSUER' },
        }),
      )
      .thenThrows({ code: 'ValidationException' });
  });

  it('answers a retried version with nothing new, and refuses its ClientToken for another request', () => {
    const first = version(callers.grantor, { Status: 'DISABLED' });
    const events = [...active, ...given(active).when(first).decided()];
    given(events).when(first).thenNothing();
    given(events)
      .when({ ...first, requestHash: 'other' } as GrantCommand)
      .thenThrows({ code: 'ValidationException' });
  });

  it('accepts a grant as DISABLED: it is used once activated (CreateGrantVersion with Status ACTIVE)', () => {
    given(created)
      .when(accept())
      .then((events) => expect(events.map((e) => e.type)).toEqual(['GrantAccepted']));
    expect(statusOf(given(accepted).state)).toBe('DISABLED');
    given(accepted)
      .when(version(callers.grantee, { Status: 'ACTIVE' }))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['GrantVersionCreated', 'GrantActivated']));
  });

  it('keeps one ACTIVE grant per product: an accepted grant is activated only with ALL_GRANTS_PERMITTED_BY_ISSUER', () => {
    const other = 'arn:aws:license-manager::111111111111:grant:g-other';
    const activate = (behavior?: LicenseManager.ActivationOverrideBehavior) =>
      given(accepted).when(
        version(
          callers.grantee,
          { Status: 'ACTIVE', ...(behavior ? { Options: { ActivationOverrideBehavior: behavior } } : {}) },
          [other],
        ),
      );
    activate().thenThrows({ message: new RegExp(other) });
    activate('DISTRIBUTED_GRANTS_ONLY').thenThrows({ code: 'ValidationException' });
    activate('ALL_GRANTS_PERMITTED_BY_ISSUER').then((events) =>
      expect(events.map((e) => e.type)).toEqual(['GrantVersionCreated', 'GrantActivated']),
    );
    const replaced = given(active)
      .when({ type: 'ReplaceGrant', byGrantArn: other, now })
      .then((events) =>
        expect(events).toMatchObject([{ type: 'GrantReplaced', data: { byGrantArn: other, version: '4' } }]),
      );
    expect(statusOf(given([...active, ...replaced]).state)).toBe('DISABLED');
    given(accepted).when({ type: 'ReplaceGrant', byGrantArn: other, now }).thenNothing();
  });

  it('distributes an accepted (DISABLED) sub-grant per covered account, once, and recalls it with its parent', () => {
    const parent = given(distributed).state;
    if (parent.status !== 'present') throw new Error('no parent');
    const subArn = 'arn:aws:license-manager::111111111111:grant:g-00000000000000000000000000000002';
    const subGrant: GrantCommand = {
      type: 'CreateSubGrant',
      arn: subArn,
      accountId: '444444444444',
      parent: parent.aggregate,
      now,
    };
    const created = given([])
      .when(subGrant)
      .then((events) =>
        expect(events).toMatchObject([
          {
            type: 'GrantCreated',
            data: {
              grant: {
                GrantArn: subArn,
                ParentArn: arn,
                GranteePrincipalArn: 'arn:aws:iam::444444444444:root',
                GrantStatus: 'DISABLED',
                GrantedOperations: operations,
                LicenseArn: licenseArn,
              },
              grantorAccountId: '111111111111',
              principal: { kind: 'account', accountId: '444444444444' },
            },
          },
        ]),
      );
    given(created).when(subGrant).thenNothing();
    // The account activates its own sub-grant; the grantor may too.
    given(created)
      .when({
        ...version(callers.nested, { Status: 'ACTIVE' }),
        input: { GrantArn: subArn, ClientToken: 'n', Status: 'ACTIVE' },
      } as GrantCommand)
      .thenState((state) => expect(statusOf(state)).toBe('ACTIVE'));
    const recalled = given(created)
      .when({ type: 'RecallSubGrant', parentArn: arn, now })
      .then((events) =>
        expect(events).toMatchObject([{ type: 'GrantDeleted', data: { statusReason: expect.stringContaining(arn) } }]),
      );
    given([...created, ...recalled])
      .when({ type: 'RecallSubGrant', parentArn: arn, now })
      .thenNothing();
  });
});
