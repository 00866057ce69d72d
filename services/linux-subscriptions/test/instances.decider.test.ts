import { DeciderSpecification } from '@lm/event-store';
import { describe, it } from 'vitest';
import type { InventoryObservation, LinuxInstanceCommand } from '../src/instances/domain/commands';
import { linuxInstanceDecider } from '../src/instances/domain/decide';
import type { LinuxInstanceEvent } from '../src/instances/domain/events';

const id = { accountId: '111111111111', region: 'us-east-1', instanceId: 'i-0123456789abcdef0' };
const t0 = new Date('2026-03-01T00:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const ref = (minutes: number) => ({ ...id, at: at(minutes).toISOString() });
const registration = {
  subscriptionProviderArn:
    'arn:aws:license-manager-linux-subscriptions:us-east-1:111111111111:subscription-provider/rh1',
  subscriptionProviderCreateTime: '2026-02-01T00:00:00.000Z',
  subscriptionProviderUpdateTime: '2026-03-01T00:10:00.000Z',
};

const rhelServer: InventoryObservation = {
  usageOperation: 'RunInstances:0010',
  productCodes: [],
  platform: 'Red Hat Enterprise Linux',
  platformVersion: '9.4',
  amiId: 'ami-0abcdef1234567890',
  instanceType: 'm5.large',
  state: 'running',
  observedAt: t0.toISOString(),
};
const observe = (
  observation: Partial<InventoryObservation>,
  minutes = 0,
  providerRegistration?: typeof registration,
): LinuxInstanceCommand => ({
  type: 'ObserveInstance',
  id,
  observation: { ...rhelServer, observedAt: at(minutes).toISOString(), ...observation },
  providerRegistration,
  now: at(minutes),
});
const register = (minutes: number, providerRegistration?: typeof registration): LinuxInstanceCommand => ({
  type: 'RecordProviderRegistration',
  id,
  providerRegistration,
  now: at(minutes),
});

const described = (minutes: number) => ({
  subscriptionName: 'Red Hat Enterprise Linux Server',
  subscriptionType: 'EC2 subscription-included',
  osVersion: '9.4',
  usageOperation: 'RunInstances:0010',
  productCodes: [],
  amiId: 'ami-0abcdef1234567890',
  instanceType: 'm5.large',
  status: 'running',
  lastUpdatedTime: at(minutes).toISOString(),
});

const classified: LinuxInstanceEvent = {
  type: 'LinuxInstanceSubscriptionClassified',
  data: { ...ref(0), ...described(0), dualSubscription: false },
};

const { given, history } = DeciderSpecification.for(linuxInstanceDecider);

describe('Linux instance decider', () => {
  it('classifies an instance seen for the first time, with what the provider says of it', () => {
    given([]).when(observe({})).then([classified]);
    given([])
      .when(observe({}, 0, registration))
      .then([
        {
          type: 'LinuxInstanceSubscriptionClassified',
          data: {
            ...ref(0),
            ...described(0),
            dualSubscription: true,
            dualSubscriptionReason: 'REGISTERED_WITH_PROVIDER',
            providerRegistration: registration,
          },
        },
      ]);
  });

  it('discovers nothing of an instance without a commercial Linux subscription, or terminated', () => {
    given([])
      .when(observe({ usageOperation: 'RunInstances', productCodes: [] }))
      .thenNothing();
    given([])
      .when(observe({ state: 'terminated' }))
      .thenNothing();
  });

  it('changes nothing for the same observation again, or an older one', () => {
    given([classified]).when(observe({})).thenNothing();
    const later = history(observe({}, 5));
    given(later)
      .when(observe({ state: 'stopped' }, 1))
      .thenNothing();
  });

  it('updates details without touching the subscription', () => {
    given([classified])
      .when(observe({ state: 'stopped', instanceType: 'm5.xlarge' }, 3))
      .then([
        {
          type: 'LinuxInstanceDetailsUpdated',
          data: { ...ref(3), ...described(3), status: 'stopped', instanceType: 'm5.xlarge' },
        },
      ]);
  });

  it('records a new subscription when the billing says another one: RHEL Server with a product code is RHEL for SAP', () => {
    given([classified])
      .when(observe({ productCodes: [{ productCodeId: 'sapcode1', productCodeType: 'marketplace' }] }, 2))
      .then([
        {
          type: 'LinuxInstanceSubscriptionChanged',
          data: {
            ...ref(2),
            ...described(2),
            subscriptionName: 'Red Hat Enterprise Linux for SAP with High Availability and Update Services',
            subscriptionType: 'AWS Marketplace subscription',
            productCodes: ['sapcode1'],
            previousSubscriptionName: 'Red Hat Enterprise Linux Server',
          },
        },
      ]);
  });

  it('is gone when terminated, reported without a Linux subscription, inactive or its discovery turned off', () => {
    given([classified])
      .when(observe({ state: 'terminated' }, 1))
      .then([
        { type: 'LinuxInstanceGone', data: { ...ref(1), reason: 'TERMINATED', observedAt: at(1).toISOString() } },
      ]);
    given([classified])
      .when(observe({ usageOperation: 'RunInstances:0002' }, 1))
      .then([
        {
          type: 'LinuxInstanceGone',
          data: { ...ref(1), reason: 'NO_LINUX_SUBSCRIPTION', observedAt: at(1).toISOString() },
        },
      ]);
    for (const reason of ['INACTIVE', 'DISCOVERY_DEACTIVATED'] as const)
      given([classified])
        .when({ type: 'ForgetInstance', id, reason, now: at(1) })
        .then([{ type: 'LinuxInstanceGone', data: { ...ref(1), reason } }]);
    given([])
      .when({ type: 'ForgetInstance', id, reason: 'INACTIVE', now: at(1) })
      .thenNothing();
  });

  it('takes no observation older than the one that ended it (a reconciliation that read before the termination)', () => {
    const terminated = history(observe({}), observe({ state: 'terminated' }, 5));
    given(terminated).when(observe({}, 3)).thenNothing();
    given(terminated)
      .when(observe({ state: 'terminated' }, 5))
      .thenNothing();
  });

  it('is classified again after it was gone', () => {
    const gone = history(observe({}), { type: 'ForgetInstance', id, reason: 'DISCOVERY_DEACTIVATED', now: at(1) });
    given(gone)
      .when(observe({}, 2))
      .then([
        {
          type: 'LinuxInstanceSubscriptionClassified',
          data: { ...ref(2), ...described(2), dualSubscription: false },
        },
      ]);
  });

  it('flags a dual subscription when the provider registers a billed RHEL instance, clears it when it no longer does', () => {
    const registered = given([classified])
      .when(register(5, registration))
      .then([
        { type: 'LinuxInstanceProviderRegistrationChanged', data: { ...ref(5), providerRegistration: registration } },
        {
          type: 'LinuxInstanceDualSubscriptionChanged',
          data: { ...ref(5), dualSubscription: true, dualSubscriptionReason: 'REGISTERED_WITH_PROVIDER' },
        },
      ]);
    given([classified, ...registered])
      .when(register(6, registration))
      .thenNothing();
    const synced = { ...registration, subscriptionProviderUpdateTime: at(7).toISOString() };
    given([classified, ...registered])
      .when(register(7, synced))
      .then([{ type: 'LinuxInstanceProviderRegistrationChanged', data: { ...ref(7), providerRegistration: synced } }]);
    given([classified, ...registered])
      .when(register(8))
      .then([
        { type: 'LinuxInstanceProviderRegistrationChanged', data: ref(8) },
        { type: 'LinuxInstanceDualSubscriptionChanged', data: { ...ref(8), dualSubscription: false } },
      ]);
    given([classified, ...registered])
      .when(observe({}, 9, registration))
      .thenNothing();
  });

  it('does not flag BYOS registered with Red Hat; ignores a registration of an instance not discovered', () => {
    const byos = history(observe({ usageOperation: 'RunInstances:00g0' }));
    given(byos)
      .when(register(5, registration))
      .then([
        { type: 'LinuxInstanceProviderRegistrationChanged', data: { ...ref(5), providerRegistration: registration } },
      ]);
    given([]).when(register(5, registration)).thenNothing();
  });

  it('always flags RHEL 7 ELS, registered or not', () => {
    given([])
      .when(observe({ platformVersion: '7.9 ELS' }))
      .thenState((state) => {
        if (!state.instance?.dualSubscription || state.instance.dualSubscriptionReason !== 'RHEL_7_ELS')
          throw new Error(`RHEL 7 ELS not flagged: ${JSON.stringify(state.instance)}`);
      });
    const els = history(observe({ platformVersion: '7.9 ELS' }));
    given(els)
      .when(register(5, registration))
      .then([
        { type: 'LinuxInstanceProviderRegistrationChanged', data: { ...ref(5), providerRegistration: registration } },
      ]);
  });
});
