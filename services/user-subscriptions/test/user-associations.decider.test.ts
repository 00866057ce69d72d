import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import {
  instanceUserId,
  neededProducts,
  toInstanceUserSummary,
  userKeyOf,
} from '../src/user-associations/domain/association';
import type { UserAssociationCommand } from '../src/user-associations/domain/commands';
import { userAssociationDecider } from '../src/user-associations/domain/decide';
import { expectTagRules, tagCommandsOf } from './tag-rules';

const accountId = '111111111111';
const arn = `arn:aws:license-manager-user-subscriptions:us-east-1:${accountId}:instance-user/${'cd'.repeat(16)}`;
const t0 = new Date('2026-03-01T00:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * 3600_000);
const ref = {
  arn,
  accountId,
  instanceId: 'i-0123456789abcdef0',
  directoryId: 'd-0123456789',
  username: 'Alice',
  domain: 'corp.example.com',
};

const associate = (now = t0): UserAssociationCommand => ({
  type: 'AssociateUser',
  ...ref,
  region: 'us-east-1',
  products: ['VISUAL_STUDIO_PROFESSIONAL', 'REMOTE_DESKTOP_SERVICES'],
  identityProviderArns: ['arn:idp-rds', 'arn:idp-vs'],
  tags: { team: 'dev' },
  now,
});
const complete = (
  now = at(1),
  outcome: { associated: true } | { associated: false; statusMessage: string } = { associated: true },
): UserAssociationCommand => ({ type: 'CompleteAssociation', arn, outcome, now });
const disassociate = (now = at(2), caller = accountId): UserAssociationCommand => ({
  type: 'DisassociateUser',
  arn,
  accountId: caller,
  now,
});
const terminated = (now = at(3)): UserAssociationCommand => ({
  type: 'EndWithInstance',
  arn,
  reason: 'INSTANCE_TERMINATED',
  now,
});

const spec = DeciderSpecification.for(userAssociationDecider);
const { given, history } = spec;

describe('user association decider', () => {
  it('associates ASSOCIATING with the products sorted, then ASSOCIATED from the step’s time', () => {
    given([])
      .when(associate())
      .then([
        {
          type: 'UserAssociationRequested',
          data: {
            ...ref,
            region: 'us-east-1',
            products: ['REMOTE_DESKTOP_SERVICES', 'VISUAL_STUDIO_PROFESSIONAL'],
            identityProviderArns: ['arn:idp-rds', 'arn:idp-vs'],
            tags: { team: 'dev' },
            at: t0.toISOString(),
          },
        },
      ]);
    given(history(associate()))
      .when(complete())
      .then([{ type: 'UserAssociated', data: { ...ref, at: at(1).toISOString() } }]);
    given(history(associate()))
      .when(complete())
      .thenState((state) => {
        expect(toInstanceUserSummary(state.association!)).toEqual({
          Username: 'Alice',
          InstanceId: ref.instanceId,
          IdentityProvider: { ActiveDirectoryIdentityProvider: { DirectoryId: ref.directoryId } },
          Status: 'ASSOCIATED',
          InstanceUserArn: arn,
          StatusMessage: undefined,
          Domain: ref.domain,
          AssociationDate: at(1).toISOString(),
          DisassociationDate: undefined,
        });
      });
  });

  it('fails the association with the step’s reason', () => {
    given(history(associate()))
      .when(complete(at(1), { associated: false, statusMessage: 'User Alice is no longer subscribed.' }))
      .then([
        {
          type: 'UserAssociationFailed',
          data: { ...ref, statusMessage: 'User Alice is no longer subscribed.', at: at(1).toISOString() },
        },
      ]);
  });

  it('refuses a second association of the user with the instance while one is live (ConflictException)', () => {
    given(history(associate()))
      .when(associate(at(1)))
      .thenThrows({ name: 'ConflictException', message: /already ASSOCIATING/ });
    given(history(associate(), complete()))
      .when(associate(at(2)))
      .thenThrows({ name: 'ConflictException', message: /already ASSOCIATED/ });
  });

  it('associates again after a disassociation or a failure (a new period)', () => {
    given(history(associate(), complete(), disassociate()))
      .when(associate(at(5)))
      .then((events) => expect(events.map((event) => event.type)).toEqual(['UserAssociationRequested']));
    given(history(associate(), complete(at(1), { associated: false, statusMessage: 'gone' })))
      .when(associate(at(5)))
      .then((events) => expect(events.map((event) => event.type)).toEqual(['UserAssociationRequested']));
  });

  it('disassociates on request, from ASSOCIATED or ASSOCIATING', () => {
    for (const past of [history(associate(), complete()), history(associate())])
      given(past)
        .when(disassociate())
        .then([
          {
            type: 'UserDisassociated',
            data: { ...ref, reason: 'REQUESTED', statusMessage: 'Disassociated on request.', at: at(2).toISOString() },
          },
        ]);
  });

  it('refuses to disassociate what is not associated (ConflictException), and another account’s (ResourceNotFoundException)', () => {
    given(history(associate(), complete(), disassociate()))
      .when(disassociate(at(3)))
      .thenThrows({ name: 'ConflictException', message: /only an associated user/ });
    given(history(associate(), complete()))
      .when(disassociate(at(3), '222222222222'))
      .thenThrows({ name: 'ResourceNotFoundException' });
    given([]).when(disassociate()).thenThrows({ name: 'ResourceNotFoundException' });
  });

  it('disassociates the users of a terminated instance saying why, and only live ones', () => {
    given(history(associate(), complete()))
      .when(terminated())
      .then([
        {
          type: 'UserDisassociated',
          data: {
            ...ref,
            reason: 'INSTANCE_TERMINATED',
            statusMessage: `Instance ${ref.instanceId} was terminated: its users are disassociated.`,
            at: at(3).toISOString(),
          },
        },
      ]);
    given(history(associate(), complete(), disassociate()))
      .when(terminated())
      .then([]);
    given(history(associate(), complete(), terminated()))
      .when(terminated(at(4)))
      .then([]);
  });

  it('tags and untags its instance user, on top of the tags it was associated with; 50 tags at most', () => {
    const { tag, untag } = tagCommandsOf<UserAssociationCommand>(
      { tag: 'TagInstanceUser', untag: 'UntagInstanceUser' },
      { arn, accountId },
      { tag: at(2), untag: at(3) },
    );
    const tagged = history(associate(), complete(), tag({ cost: 'r&d' }));
    const state = given(tagged).state;
    expect(state.association!.tags).toEqual({ team: 'dev', cost: 'r&d' });
    expectTagRules(spec, tagged, { tag, untag }, 'team', {
      type: 'InstanceUserUntagged',
      data: { ...ref, tagKeys: ['team'], at: at(3).toISOString() },
    });
  });

  it('records nothing when the step comes after the association was settled or ended', () => {
    given(history(associate(), complete()))
      .when(complete(at(2)))
      .then([]);
    given(history(associate(), disassociate()))
      .when(complete(at(3)))
      .then([]);
    given([]).when(complete()).then([]);
  });
});

describe('association keys and rules', () => {
  it('names one association per account, directory, domain, user (without case) and instance', () => {
    const key = { accountId, directoryId: 'd-1', domain: 'Corp.Example.com', username: 'ALICE', instanceId: 'i-1' };
    expect(instanceUserId(key)).toBe(instanceUserId({ ...key, domain: 'corp.example.com', username: 'alice' }));
    expect(instanceUserId(key)).not.toBe(instanceUserId({ ...key, instanceId: 'i-2' }));
    expect(instanceUserId(key)).not.toBe(instanceUserId({ ...key, accountId: '222222222222' }));
    expect(userKeyOf(key)).toBe(userKeyOf({ ...key, username: 'Alice' }));
  });

  it('asks for a subscription to a Visual Studio or Office product the instance provides, RDS SAL only when that is all', () => {
    expect(neededProducts(['REMOTE_DESKTOP_SERVICES', 'VISUAL_STUDIO_ENTERPRISE'])).toEqual([
      'VISUAL_STUDIO_ENTERPRISE',
    ]);
    expect(neededProducts(['REMOTE_DESKTOP_SERVICES'])).toEqual(['REMOTE_DESKTOP_SERVICES']);
    expect(neededProducts(['OFFICE_PROFESSIONAL_PLUS', 'VISUAL_STUDIO_PROFESSIONAL'])).toEqual([
      'OFFICE_PROFESSIONAL_PLUS',
      'VISUAL_STUDIO_PROFESSIONAL',
    ]);
  });
});
