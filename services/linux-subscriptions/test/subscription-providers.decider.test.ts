import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { RetrievalOutcome, SubscriptionProviderCommand } from '../src/subscription-providers/domain/commands';
import { subscriptionProviderDecider } from '../src/subscription-providers/domain/decide';
import {
  offlineTokenIn,
  ownSecretArn,
  untaggedSecretReason,
} from '../src/subscription-providers/domain/provider-secret';
import { registeredInstanceIds } from '../src/subscription-providers/domain/registered-systems';
import { toRegisteredSubscriptionProvider } from '../src/subscription-providers/domain/subscription-provider';

const accountId = '111111111111';
const arn = `arn:aws:license-manager-linux-subscriptions:us-east-1:${accountId}:subscription-provider/5e0f3c1a-9d1b-4b6e-8f3a-2c4d6e8f0a1b`;
const secretArn = `arn:aws:secretsmanager:us-east-1:${accountId}:secret:rhsm-offline-token-AbCdEf`;
const t0 = new Date('2026-03-01T00:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const ref = (minutes: number, providerArn = arn) => ({
  arn: providerArn,
  accountId,
  source: 'RedHat',
  at: at(minutes).toISOString(),
});

const register = (now = t0, providerArn = arn): SubscriptionProviderCommand => ({
  type: 'RegisterSubscriptionProvider',
  arn: providerArn,
  accountId,
  region: 'us-east-1',
  source: 'RedHat',
  secretArn,
  tags: { team: 'linux' },
  now,
});
const read = (minutes: number, registeredInstanceIds = ['i-0123456789abcdef0']): RetrievalOutcome => ({
  read: true,
  retrievedAt: at(minutes),
  subscriptionCount: 2,
  systemCount: 3,
  registeredInstanceIds,
});
const refused = (statusMessage: string): RetrievalOutcome => ({ read: false, statusMessage });
const record = (outcome: RetrievalOutcome, minutes: number, providerArn = arn): SubscriptionProviderCommand => ({
  type: 'RecordRetrieval',
  arn: providerArn,
  outcome,
  now: at(minutes),
});
const deregister = (minutes: number, caller = accountId): SubscriptionProviderCommand => ({
  type: 'DeregisterSubscriptionProvider',
  arn,
  accountId: caller,
  now: at(minutes),
});

const { given, history } = DeciderSpecification.for(subscriptionProviderDecider);
const REVOKED = 'Red Hat SSO refused the offline token (invalid_grant: Offline user session not found)';

describe('subscription provider decider', () => {
  it('registers PENDING, with the secret ARN and never a token', () => {
    given([])
      .when(register())
      .then([
        {
          type: 'SubscriptionProviderRegistered',
          data: { ...ref(0), region: 'us-east-1', secretArn, tags: { team: 'linux' } },
        },
      ]);
    given([])
      .when(register())
      .thenState(({ provider }) => {
        expect(toRegisteredSubscriptionProvider(provider!)).toEqual({
          SubscriptionProviderArn: arn,
          SubscriptionProviderSource: 'RedHat',
          SecretArn: secretArn,
          SubscriptionProviderStatus: 'PENDING',
          SubscriptionProviderStatusMessage: undefined,
          LastSuccessfulDataRetrievalTime: undefined,
        });
      });
  });

  it('becomes ACTIVE once data was retrieved, with the retrieval time and the registered instances', () => {
    given(history(register()))
      .when(record(read(1), 1))
      .then([
        {
          type: 'SubscriptionProviderDataRetrieved',
          data: {
            ...ref(1),
            retrievedAt: at(1).toISOString(),
            subscriptionCount: 2,
            systemCount: 3,
            registeredInstanceIds: ['i-0123456789abcdef0'],
          },
        },
      ]);
    given(history(register(), record(read(1), 1)))
      .when(record(read(61, []), 61))
      .thenState(({ provider }) => {
        expect(provider).toMatchObject({
          status: 'ACTIVE',
          lastSuccessfulDataRetrievalTime: at(61).toISOString(),
          registeredInstanceIds: [],
        });
      });
  });

  it('becomes INVALID saying why, once per reason, and ACTIVE again when a later retrieval reads the account', () => {
    const invalid = history(register(), record(read(1), 1), record(refused(REVOKED), 61));
    expect(invalid.at(-1)).toEqual({
      type: 'SubscriptionProviderInvalidated',
      data: { ...ref(61), statusMessage: REVOKED },
    });
    given(invalid)
      .when(record(refused(REVOKED), 121))
      .thenNothing();
    given(invalid)
      .when(record(refused('Secret x must carry the tag LicenseManagerLinuxSubscriptions=enabled'), 121))
      .then((events) => expect(events.map((event) => event.type)).toEqual(['SubscriptionProviderInvalidated']));
    given(invalid)
      .when(record(read(121), 121))
      .thenState(({ provider }) => {
        expect(toRegisteredSubscriptionProvider(provider!)).toMatchObject({
          SubscriptionProviderStatus: 'ACTIVE',
          SubscriptionProviderStatusMessage: undefined,
          LastSuccessfulDataRetrievalTime: at(121).toISOString(),
        });
      });
    // A PENDING provider whose first retrieval is refused is INVALID with the reason.
    given(history(register()))
      .when(record(refused(REVOKED), 1))
      .thenState(({ provider }) => expect(provider).toMatchObject({ status: 'INVALID', statusMessage: REVOKED }));
  });

  it('allows one provider per source and account: a second is refused until the first is deregistered', () => {
    const other = arn.replace('5e0f3c1a', '6f1a4d2b');
    given(history(register()))
      .when(register(at(5), other))
      .thenThrows((error: Error) => error.name === 'ValidationException' && error.message.includes(arn));
    given(history(register(), deregister(3)))
      .when(register(at(5), other))
      .then((events) =>
        expect(events[0]).toMatchObject({ type: 'SubscriptionProviderRegistered', data: { arn: other } }),
      );
  });

  it('deregisters the caller own provider; another account, or a deregistered one, is not found', () => {
    given(history(register(), record(read(1), 1)))
      .when(deregister(2))
      .then([{ type: 'SubscriptionProviderDeregistered', data: ref(2) }]);
    given(history(register()))
      .when(deregister(2, '222222222222'))
      .thenThrows((error: Error) => error.name === 'ResourceNotFoundException');
    given(history(register(), deregister(2)))
      .when(deregister(3))
      .thenThrows((error: Error) => error.name === 'ResourceNotFoundException');
  });

  it('records no retrieval for a provider deregistered or replaced meanwhile', () => {
    given(history(register(), deregister(2)))
      .when(record(read(3), 3))
      .thenNothing();
    const other = arn.replace('5e0f3c1a', '6f1a4d2b');
    given(history(register(), deregister(2), register(at(3), other)))
      .when(record(read(4), 4))
      .thenNothing();
  });

  it('tags within 50, untags only keys it has', () => {
    const registered = history(register());
    given(registered)
      .when({ type: 'TagSubscriptionProvider', arn, accountId, tags: { env: 'prod' }, now: at(1) })
      .then([{ type: 'SubscriptionProviderTagged', data: { ...ref(1), tags: { env: 'prod' } } }]);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    given(registered)
      .when({ type: 'TagSubscriptionProvider', arn, accountId, tags: many, now: at(1) })
      .thenThrows((error: Error) => error.name === 'ValidationException');
    given(registered)
      .when({ type: 'UntagSubscriptionProvider', arn, accountId, tagKeys: ['absent'], now: at(1) })
      .thenNothing();
    given(registered)
      .when({ type: 'UntagSubscriptionProvider', arn, accountId, tagKeys: ['team', 'absent'], now: at(1) })
      .thenState(({ provider }) => expect(provider!.tags).toEqual({}));
  });
});

describe('provider secret rules', () => {
  const owner = { accountId, region: 'us-east-1' };

  it('takes a secret of the caller own account and Region only', () => {
    expect(() => ownSecretArn(secretArn, owner)).not.toThrow();
    expect(() => ownSecretArn(secretArn.replace(accountId, '222222222222'), owner)).toThrow(
      /belongs to account 222222222222: the secret must be in your own account \(111111111111\)/,
    );
    expect(() => ownSecretArn(secretArn.replace('us-east-1', 'eu-west-1'), owner)).toThrow(/Region eu-west-1/);
  });

  it('needs the tag LicenseManagerLinuxSubscriptions=enabled', () => {
    expect(untaggedSecretReason(secretArn, { LicenseManagerLinuxSubscriptions: 'enabled' })).toBeUndefined();
    expect(untaggedSecretReason(secretArn, {})).toMatch(/must carry the tag LicenseManagerLinuxSubscriptions=enabled/);
    expect(untaggedSecretReason(secretArn, { LicenseManagerLinuxSubscriptions: 'disabled' })).toBeDefined();
  });

  it('reads the offline token without the whitespace around it', () => {
    expect(offlineTokenIn('  eyJhbGciOi.token\n')).toBe('eyJhbGciOi.token');
    expect(offlineTokenIn(' \n')).toBeUndefined();
  });
});

describe('registered systems', () => {
  it('match the EC2 instance their aws_instance_id fact names, once each, sorted', () => {
    expect(
      registeredInstanceIds([
        { uuid: 'a', facts: { aws_instance_id: 'i-0fedcba9876543210', aws_account_id: accountId } },
        { uuid: 'b', facts: { aws_instance_id: 'i-0123456789abcdef0' } },
        { uuid: 'c', facts: { aws_instance_id: 'i-0123456789abcdef0' } },
        { uuid: 'd', facts: { 'dmi.system.manufacturer': 'Dell Inc.' } },
        { uuid: 'e', facts: { aws_instance_id: 'not-an-instance' } },
        { uuid: 'f', facts: { aws_instance_id: 'i-12345678' } },
      ]),
    ).toEqual(['i-0123456789abcdef0', 'i-0fedcba9876543210', 'i-12345678']);
  });
});
