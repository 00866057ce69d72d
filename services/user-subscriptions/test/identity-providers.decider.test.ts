import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { IdentityProviderCommand } from '../src/identity-providers/domain/commands';
import { identityProviderDecider } from '../src/identity-providers/domain/decide';
import { directoryFor, requestedDirectory, type ActiveDirectory } from '../src/identity-providers/domain/directory';
import { updatedVpcSettings, vpcSettingsOf } from '../src/identity-providers/domain/vpc-settings';
import { credentialsIn } from '../src/identity-providers/domain/credentials';
import { expectTagRules, tagCommandsOf } from './tag-rules';

const accountId = '111111111111';
const arn = `arn:aws:license-manager-user-subscriptions:us-east-1:${accountId}:identity-provider/0b0e9a3e-1f4c-4a57-9d59-4f6f0c1f2b3a`;
const t0 = new Date('2026-03-01T00:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

const directory: ActiveDirectory = {
  directoryId: 'sd-0123456789',
  type: 'SELF_MANAGED',
  shared: false,
  domainName: 'corp.example.com',
  addresses: ['10.0.0.10', '10.0.0.11'],
  ipVersion: 'IPV4',
  secretId: 'license-manager-user-admin',
  subnets: ['subnet-0123456789abcdef0'],
};
const ref = { arn, accountId, product: 'REMOTE_DESKTOP_SERVICES', directoryId: directory.directoryId };

const register = (now = t0, registrationArn = arn): IdentityProviderCommand => ({
  type: 'RegisterIdentityProvider',
  arn: registrationArn,
  accountId,
  region: 'us-east-1',
  product: 'REMOTE_DESKTOP_SERVICES',
  directory,
  tags: {},
  now,
});
const complete = (
  outcome: { reached: true } | { reached: false; failureMessage: string },
  now = at(1),
): IdentityProviderCommand => ({
  type: 'CompleteRegistration',
  arn,
  outcome,
  now,
});
const deregister = (blockers: string[] = [], now = at(2), caller = accountId): IdentityProviderCommand => ({
  type: 'DeregisterIdentityProvider',
  arn,
  accountId: caller,
  blockers,
  now,
});

const spec = DeciderSpecification.for(identityProviderDecider);
const { given, history } = spec;

describe('identity provider decider', () => {
  it('starts a registration REGISTERING, then REGISTERED once the directory answered', () => {
    const started = given([]).when(register()).decided();
    expect(started).toEqual([
      {
        type: 'IdentityProviderRegistrationStarted',
        data: { ...ref, region: 'us-east-1', directory, settings: undefined, tags: {}, at: t0.toISOString() },
      },
    ]);
    given(started)
      .when(complete({ reached: true }))
      .then([{ type: 'IdentityProviderRegistered', data: { ...ref, at: at(1).toISOString() } }]);
  });

  it("fails a registration with the directory's error, and records an outcome once", () => {
    const failed = history(
      register(),
      complete({ reached: false, failureMessage: 'invalid credentials (LDAP result 49)' }),
    );
    expect(failed.at(-1)).toMatchObject({
      type: 'IdentityProviderRegistrationFailed',
      data: { failureMessage: 'invalid credentials (LDAP result 49)' },
    });
    given(failed)
      .when(complete({ reached: true }, at(3)))
      .then([]);
  });

  it('refuses a second registration of the directory for the product while one is live, not after a failure', () => {
    given(history(register()))
      .when(register(at(1), `${arn}-2`))
      .thenThrows({ name: 'ConflictException' });
    const failed = history(register(), complete({ reached: false, failureMessage: 'down' }));
    expect(
      given(failed)
        .when(register(at(5), `${arn}-2`))
        .decided()[0].type,
    ).toBe('IdentityProviderRegistrationStarted');
  });

  it('deregisters DEREGISTERING then DEREGISTERED, refused while anything still uses the directory', () => {
    const registered = history(register(), complete({ reached: true }));
    given(registered)
      .when(deregister(['2 users are still subscribed']))
      .thenThrows({ name: 'ConflictException', message: /2 users are still subscribed/ });
    const deregistering = [...registered, ...given(registered).when(deregister()).decided()];
    expect(deregistering.at(-1)?.type).toBe('IdentityProviderDeregistrationStarted');
    given(deregistering)
      .when({ type: 'CompleteDeregistration', arn, now: at(3) })
      .then([{ type: 'IdentityProviderDeregistered', data: { ...ref, at: at(3).toISOString() } }]);
    given(deregistering)
      .when(deregister([], at(4)))
      .thenThrows({ name: 'ConflictException' });
  });

  it('refuses to deregister a registration still REGISTERING, and tells another account it does not exist', () => {
    given(history(register())).when(deregister()).thenThrows({ name: 'ConflictException' });
    given(history(register(), complete({ reached: true })))
      .when(deregister([], at(2), '222222222222'))
      .thenThrows({ name: 'ResourceNotFoundException' });
  });

  it('updates settings: subnets added and removed, at least one kept', () => {
    const settings = vpcSettingsOf(
      { Subnets: ['subnet-aaaaaaaa'], SecurityGroupId: 'sg-12345678' },
      'REMOTE_DESKTOP_SERVICES',
    );
    expect(
      updatedVpcSettings(settings, { AddSubnets: ['subnet-bbbbbbbb'], RemoveSubnets: ['subnet-aaaaaaaa'] }),
    ).toEqual({
      subnets: ['subnet-bbbbbbbb'],
      securityGroupId: 'sg-12345678',
    });
    expect(() => updatedVpcSettings(settings, { AddSubnets: [], RemoveSubnets: ['subnet-aaaaaaaa'] })).toThrow(
      /at least one subnet/,
    );
    expect(() => updatedVpcSettings(settings, { AddSubnets: [], RemoveSubnets: ['subnet-cccccccc'] })).toThrow(
      /not in the identity provider's settings/,
    );
    expect(() => vpcSettingsOf(undefined, 'OFFICE_PROFESSIONAL_PLUS')).toThrow(/needs Settings/);
  });

  it('tags and untags its registration, on top of the tags it was registered with; 50 tags at most', () => {
    const { tag, untag } = tagCommandsOf<IdentityProviderCommand>(
      { tag: 'TagIdentityProvider', untag: 'UntagIdentityProvider' },
      { arn, accountId },
      { tag: at(2), untag: at(3) },
    );
    const tagged = history({ ...register(), tags: { owner: 'it' } }, complete({ reached: true }), tag({ env: 'prod' }));
    const state = given(tagged).state;
    expect(state.registration!.tags).toEqual({ owner: 'it', env: 'prod' });
    expectTagRules(spec, tagged, { tag, untag }, 'owner', {
      type: 'IdentityProviderUntagged',
      data: { ...ref, tagKeys: ['owner'], at: at(3).toISOString() },
    });
  });
});

describe('the directory a registration is made with', () => {
  const settings = {
    DomainName: 'corp.example.com',
    DomainIpv4List: ['10.0.0.10'],
    DomainCredentialsProvider: { SecretsManagerCredentialsProvider: { SecretId: 'license-manager-user-admin' } },
    DomainNetworkSettings: { Subnets: ['subnet-0123456789abcdef0'] },
  };
  const newId = (type: 'SELF_MANAGED' | 'AWS_MANAGED') => (type === 'SELF_MANAGED' ? 'sd-aaaaaaaaaa' : 'd-aaaaaaaaaa');

  it('gives a self-managed directory an sd- id and refuses it for Visual Studio and Office', () => {
    const requested = requestedDirectory({
      ActiveDirectoryIdentityProvider: { ActiveDirectoryType: 'SELF_MANAGED', ActiveDirectorySettings: settings },
    });
    expect(directoryFor(requested, 'REMOTE_DESKTOP_SERVICES', undefined, newId).directoryId).toBe('sd-aaaaaaaaaa');
    expect(() => directoryFor(requested, 'VISUAL_STUDIO_ENTERPRISE', undefined, newId)).toThrow(/AWS managed/);
  });

  it("takes a known directory's settings for a DirectoryId alone, and asks for them otherwise", () => {
    const requested = requestedDirectory({ ActiveDirectoryIdentityProvider: { DirectoryId: 'd-0123456789' } });
    expect(() => directoryFor(requested, 'OFFICE_PROFESSIONAL_PLUS', undefined, newId)).toThrow(
      /not registered in this account yet: give its ActiveDirectorySettings/,
    );
    const known = { ...directory, directoryId: 'd-0123456789', type: 'AWS_MANAGED' as const };
    expect(directoryFor(requested, 'OFFICE_PROFESSIONAL_PLUS', known, newId)).toMatchObject({
      directoryId: 'd-0123456789',
      domainName: 'corp.example.com',
    });
  });

  it("refuses incomplete settings and a secret outside the guide's prefix", () => {
    const bad = (changes: object) => () =>
      requestedDirectory({ ActiveDirectoryIdentityProvider: { ActiveDirectorySettings: { ...settings, ...changes } } });
    expect(bad({ DomainIpv4List: [] })).toThrow(/one or two domain controller/);
    expect(bad({ DomainIpv4List: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] })).toThrow(/one or two domain controller/);
    expect(bad({ DomainNetworkSettings: { Subnets: [] } })).toThrow(/at least one subnet/);
    expect(bad({ DomainCredentialsProvider: { SecretsManagerCredentialsProvider: { SecretId: 'admin' } } })).toThrow(
      /license-manager-user-/,
    );
    expect(() => requestedDirectory({})).toThrow(/ActiveDirectoryIdentityProvider/);
  });

  it('reads username and password from the secret, never repeating a value', () => {
    expect(credentialsIn('s', '{"username":"Administrator","password":"p"}')).toEqual({
      username: 'Administrator',
      password: 'p',
    });
    expect(credentialsIn('s', 'hunter2')).toEqual({ unusable: expect.not.stringContaining('hunter2') });
    expect(credentialsIn('s', '{"user":"Administrator","password":"hunter2"}')).toEqual({
      unusable: expect.stringMatching(/username and password/),
    });
  });
});
