import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import { secretDecider } from '../src/secrets/domain/decide';
import type { SecretEvent } from '../src/secrets/domain/events';
import { versionOf, type SealedSecretValue } from '../src/secrets/domain/secret';
import { candidatesOf } from '../src/secrets/domain/secret-arn';

const { given } = DeciderSpecification.for(secretDecider);
const now = new Date('2026-06-01T00:00:00Z');
const arn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:ldap/bind-AbC123';
const secret = {
  arn,
  name: 'ldap/bind',
  accountId: '111111111111',
  region: 'us-east-1',
  tags: [],
  createdAt: now.toISOString(),
};
const value = (versionId: string, digest = `digest-of-${versionId}`): SealedSecretValue => ({
  versionId,
  valueType: 'SecretString',
  sealedValue: `sealed-${versionId}`,
  valueDigest: digest,
});
const created: SecretEvent = { type: 'SecretCreated', data: secret };
const put = (versionId: string, stages = ['AWSCURRENT']): SecretEvent => ({
  type: 'SecretValuePut',
  data: { ...value(versionId), stages, createdAt: now.toISOString() },
});
const target = { arn };
const scheduled: SecretEvent = {
  type: 'SecretDeletionScheduled',
  data: { deletionDate: '2026-06-08T00:00:00.000Z', recoveryWindowInDays: 7, scheduledAt: now.toISOString() },
};

describe('the secret decider', () => {
  it('creates a secret with its first version as AWSCURRENT', () => {
    given([])
      .when({ type: 'CreateSecret', secret, value: value('v1') })
      .then([created, put('v1')]);
  });

  it('answers a retried CreateSecret (same version, same value) with no event, and a new one with ResourceExistsException', () => {
    given([created, put('v1')])
      .when({ type: 'CreateSecret', secret, value: value('v1') })
      .then([]);
    given([created, put('v1')])
      .when({ type: 'CreateSecret', secret, value: value('v2') })
      .thenThrows({ code: 'ResourceExistsException', message: /ldap\/bind already exists/ });
    given([created, put('v1')])
      .when({ type: 'CreateSecret', secret, value: value('v1', 'another value') })
      .thenThrows({ code: 'ResourceExistsException' });
  });

  it('refuses a name with characters Secrets Manager does not allow, and aws: tags', () => {
    given([])
      .when({ type: 'CreateSecret', secret: { ...secret, name: 'bad name!' } })
      .thenThrows({ code: 'InvalidParameterException', message: /Invalid name/ });
    given([])
      .when({ type: 'CreateSecret', secret: { ...secret, tags: [{ Key: 'aws:owner', Value: 'x' }] } })
      .thenThrows({ code: 'InvalidParameterException', message: /reserved prefix/ });
  });

  it('moves AWSCURRENT to a new version and AWSPREVIOUS to the former current one', () => {
    const state = given([created, put('v1'), put('v2'), put('v3')]).state;
    if (state.status !== 'present') throw new Error('absent');
    expect(state.secret.versions.map((v) => [v.versionId, v.stages])).toEqual([
      ['v1', []],
      ['v2', ['AWSPREVIOUS']],
      ['v3', ['AWSCURRENT']],
    ]);
    expect(versionOf(state.secret)?.versionId).toBe('v3');
    expect(versionOf(state.secret, undefined, 'AWSPREVIOUS')?.versionId).toBe('v2');
    expect(versionOf(state.secret, 'v1')?.versionId).toBe('v1');
    expect(versionOf(state.secret, 'v1', 'AWSCURRENT')).toBeUndefined();
  });

  it('leaves AWSCURRENT where it is when the new version takes other labels', () => {
    const state = given([created, put('v1'), put('v2', ['PENDING'])]).state;
    if (state.status !== 'present') throw new Error('absent');
    expect(state.secret.versions.map((v) => v.stages)).toEqual([['AWSCURRENT'], ['PENDING']]);
  });

  it('answers a retried PutSecretValue with no event, and another value under the same version with ResourceExistsException', () => {
    given([created, put('v1')])
      .when({ type: 'PutSecretValue', target, value: value('v1'), stages: ['AWSCURRENT'], now })
      .then([]);
    given([created, put('v1')])
      .when({ type: 'PutSecretValue', target, value: value('v1', 'changed'), stages: ['AWSCURRENT'], now })
      .thenThrows({ code: 'ResourceExistsException', message: /existing version/ });
  });

  it('knows a secret only by its own ARN: a former secret of the same name is not found', () => {
    given([created])
      .when({ type: 'TagSecret', target: { arn: `${arn.slice(0, -6)}ZzZ999` }, tags: [{ Key: 'k', Value: 'v' }], now })
      .thenThrows({ code: 'ResourceNotFoundException' });
    given([])
      .when({ type: 'UntagSecret', target: {}, tagKeys: ['k'], now })
      .thenThrows({ code: 'ResourceNotFoundException' });
  });

  it('tags and untags, at most 50 tags', () => {
    given([created])
      .when({ type: 'TagSecret', target, tags: [{ Key: 'team', Value: 'it' }], now })
      .then([{ type: 'SecretTagged', data: { tags: [{ Key: 'team', Value: 'it' }], taggedAt: now.toISOString() } }]);
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: '' }));
    given([created, { type: 'SecretTagged', data: { tags: fifty, taggedAt: now.toISOString() } }])
      .when({ type: 'TagSecret', target, tags: [{ Key: 'one-more', Value: '' }], now })
      .thenThrows({ code: 'InvalidParameterException', message: /at most 50/ });
    given([created])
      .when({ type: 'UntagSecret', target, tagKeys: ['absent'], now })
      .then([]);
  });

  it('schedules the deletion after the recovery window, 30 days unless said, 7 to 30', () => {
    given([created])
      .when({ type: 'DeleteSecret', target, now })
      .then([
        {
          type: 'SecretDeletionScheduled',
          data: { deletionDate: '2026-07-01T00:00:00.000Z', recoveryWindowInDays: 30, scheduledAt: now.toISOString() },
        },
      ]);
    given([created]).when({ type: 'DeleteSecret', target, recoveryWindowInDays: 7, now }).then([scheduled]);
    for (const days of [6, 31, 0])
      given([created])
        .when({ type: 'DeleteSecret', target, recoveryWindowInDays: days, now })
        .thenThrows({ code: 'InvalidParameterException', message: /between 7 and 30 days/ });
    given([created])
      .when({ type: 'DeleteSecret', target, recoveryWindowInDays: 7, forceDeleteWithoutRecovery: true, now })
      .thenThrows({ code: 'InvalidParameterException', message: /in conjunction with RecoveryWindowInDays/ });
  });

  it('deletes at once without recovery, even a secret already scheduled', () => {
    const deleted: SecretEvent = {
      type: 'SecretDeleted',
      data: { deletedAt: now.toISOString(), withoutRecovery: true },
    };
    given([created]).when({ type: 'DeleteSecret', target, forceDeleteWithoutRecovery: true, now }).then([deleted]);
    given([created, scheduled])
      .when({ type: 'DeleteSecret', target, forceDeleteWithoutRecovery: true, now })
      .then([deleted]);
  });

  it('refuses changes to a secret scheduled for deletion with InvalidRequestException, and its name to a new secret', () => {
    const history = [created, put('v1'), scheduled];
    given(history)
      .when({ type: 'PutSecretValue', target, value: value('v2'), stages: ['AWSCURRENT'], now })
      .thenThrows({ code: 'InvalidRequestException', message: /marked for deletion/ });
    given(history)
      .when({ type: 'TagSecret', target, tags: [{ Key: 'k', Value: 'v' }], now })
      .thenThrows({ code: 'InvalidRequestException' });
    given(history)
      .when({ type: 'DeleteSecret', target, recoveryWindowInDays: 7, now })
      .thenThrows({ code: 'InvalidRequestException' });
    given(history)
      .when({ type: 'CreateSecret', secret, value: value('v1') })
      .thenThrows({ code: 'InvalidRequestException', message: /already scheduled for deletion/ });
  });

  it('purges only once the recovery window has passed, then the name is free', () => {
    const history = [created, put('v1'), scheduled];
    given(history)
      .when({ type: 'PurgeSecret', now: new Date('2026-06-07T23:59:59Z') })
      .then([]);
    const purged: SecretEvent = {
      type: 'SecretDeleted',
      data: { deletedAt: '2026-06-08T00:00:00.000Z', withoutRecovery: false },
    };
    given(history)
      .when({ type: 'PurgeSecret', now: new Date('2026-06-08T00:00:00Z') })
      .then([purged]);
    given([...history, purged])
      .when({ type: 'CreateSecret', secret })
      .then([created]);
    given([created]).when({ type: 'PurgeSecret', now }).then([]);
  });
});

describe('what a SecretId names', () => {
  const owner = { accountId: '111111111111', region: 'us-east-1' };

  it('reads a full ARN as the name and its suffix, then as a partial ARN whose name ends like a suffix', () => {
    expect(candidatesOf(arn, owner)).toEqual([{ name: 'ldap/bind', arn }, { name: 'ldap/bind-AbC123' }]);
  });

  it('reads a partial ARN and a plain name as the name', () => {
    expect(candidatesOf('arn:aws:secretsmanager:us-east-1:111111111111:secret:ldap/bind', owner)).toEqual([
      { name: 'ldap/bind' },
    ]);
    expect(candidatesOf('ldap/bind', owner)).toEqual([{ name: 'ldap/bind' }]);
  });

  it("names nothing in another account's or Region's ARN", () => {
    expect(candidatesOf(arn.replace('111111111111', '222222222222'), owner)).toEqual([]);
    expect(candidatesOf(arn.replace('us-east-1', 'eu-west-1'), owner)).toEqual([]);
  });
});
