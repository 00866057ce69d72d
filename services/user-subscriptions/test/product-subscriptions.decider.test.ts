import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { ProductSubscriptionCommand } from '../src/product-subscriptions/domain/commands';
import { productSubscriptionDecider } from '../src/product-subscriptions/domain/decide';
import { productUserId, toProductUserSummary } from '../src/product-subscriptions/domain/product-subscription';
import { expectTagRules, tagCommandsOf } from './tag-rules';

const accountId = '111111111111';
const arn = `arn:aws:license-manager-user-subscriptions:us-east-1:${accountId}:product-user/${'ab'.repeat(16)}`;
const identityProviderArn = `arn:aws:license-manager-user-subscriptions:us-east-1:${accountId}:identity-provider/x`;
const t0 = new Date('2026-03-01T00:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * 3600_000);
const user = {
  arn,
  accountId,
  product: 'VISUAL_STUDIO_ENTERPRISE' as const,
  username: 'alice',
  domain: 'corp.example.com',
  directoryId: 'd-0123456789',
  identityProviderArn,
};

const start = (origin: 'REQUESTED' | 'WITH_PRODUCT' = 'REQUESTED', now = t0): ProductSubscriptionCommand => ({
  type: 'StartProductSubscription',
  ...user,
  region: 'us-east-1',
  origin,
  tags: {},
  now,
});
const complete = (
  now = at(1),
  outcome: { subscribed: true } | { subscribed: false; statusMessage: string } = { subscribed: true },
): ProductSubscriptionCommand => ({
  type: 'CompleteSubscription',
  arn,
  outcome,
  now,
});
const stop = (blockers: string[] = [], now = at(2), caller = accountId): ProductSubscriptionCommand => ({
  type: 'StopProductSubscription',
  arn,
  accountId: caller,
  blockers,
  now,
});

const spec = DeciderSpecification.for(productSubscriptionDecider);
const { given, history } = spec;

describe('product subscription decider', () => {
  it("subscribes SUBSCRIBING, then SUBSCRIBED from the step's time", () => {
    const requested = given([]).when(start()).decided();
    expect(requested).toEqual([
      {
        type: 'ProductSubscriptionRequested',
        data: { ...user, region: 'us-east-1', origin: 'REQUESTED', tags: {}, at: t0.toISOString() },
      },
    ]);
    given(requested)
      .when(complete())
      .then([{ type: 'ProductSubscriptionSucceeded', data: { ...user, at: at(1).toISOString() } }]);
    const subscribed = history(start(), complete());
    const { subscription } = given(subscribed).state;
    expect(toProductUserSummary(subscription!)).toMatchObject({
      Status: 'SUBSCRIBED',
      SubscriptionStartDate: at(1).toISOString(),
    });
  });

  it('keeps one subscription per user and product: a second Start conflicts, an RDS SAL added with a product is kept', () => {
    given(history(start()))
      .when(start())
      .thenThrows({ name: 'ConflictException', message: /one subscription per user and product/ });
    given(history(start(), complete())).when(start('WITH_PRODUCT')).then([]);
  });

  it("fails with the step's message, and may be started again", () => {
    const failed = history(
      start(),
      complete(at(1), { subscribed: false, statusMessage: 'Identity provider x is DEREGISTERING.' }),
    );
    expect(failed.at(-1)).toMatchObject({
      type: 'ProductSubscriptionFailed',
      data: { statusMessage: 'Identity provider x is DEREGISTERING.' },
    });
    expect(
      given(failed)
        .when(start('REQUESTED', at(3)))
        .decided()[0].type,
    ).toBe('ProductSubscriptionRequested');
  });

  it('unsubscribes UNSUBSCRIBING then UNSUBSCRIBED, only a subscribed user and not while something holds them', () => {
    given(history(start()))
      .when(stop())
      .thenThrows({ name: 'ConflictException', message: /only a subscribed user/ });
    const subscribed = history(start(), complete());
    given(subscribed)
      .when(stop(['associated with i-0123456789abcdef0']))
      .thenThrows({
        name: 'ConflictException',
        message: /associated with i-0123456789abcdef0/,
      });
    given(subscribed)
      .when(stop([], at(2), '222222222222'))
      .thenThrows({ name: 'ResourceNotFoundException' });
    const stopping = [...subscribed, ...given(subscribed).when(stop()).decided()];
    given(stopping)
      .when({ type: 'CompleteUnsubscription', arn, now: at(3) })
      .then([{ type: 'ProductUnsubscribed', data: { ...user, at: at(3).toISOString() } }]);
  });

  it('tags and untags its product user, on top of the tags it was started with; 50 tags at most', () => {
    const { tag, untag } = tagCommandsOf<ProductSubscriptionCommand>(
      { tag: 'TagProductUser', untag: 'UntagProductUser' },
      { arn, accountId },
      { tag: at(2), untag: at(3) },
    );
    const tagged = history({ ...start(), tags: { team: 'dev' } }, complete(), tag({ cost: 'r&d' }));
    const state = given(tagged).state;
    expect(state.subscription!.tags).toEqual({ team: 'dev', cost: 'r&d' });
    expectTagRules(spec, tagged, { tag, untag }, 'team', {
      type: 'ProductUserUntagged',
      data: { ...user, tagKeys: ['team'], at: at(3).toISOString() },
    });
  });

  it("names one user's subscription the same whatever the case of the logon name and domain", () => {
    const key = {
      accountId,
      directoryId: 'd-0123456789',
      product: 'REMOTE_DESKTOP_SERVICES',
      domain: 'corp.example.com',
    };
    expect(productUserId({ ...key, username: 'Alice' })).toBe(
      productUserId({ ...key, username: 'alice', domain: 'CORP.example.com' }),
    );
    expect(productUserId({ ...key, username: 'alice' })).not.toBe(
      productUserId({ ...key, username: 'alice', product: 'OFFICE_PROFESSIONAL_PLUS' }),
    );
  });
});
