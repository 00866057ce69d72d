import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import { instanceDecider, type ObserveInstance } from '../src/instances/domain/decide';
import type { InstanceObservation } from '../src/instances/domain/instance';

const instance = { accountId: '111111111111', region: 'us-east-1', instanceId: 'i-0123456789abcdef0' };
const ref = (at: string) => ({ ...instance, at });
const T = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 0, minutes)).toISOString();
const subnetId = 'subnet-0abc1234';
const observe = (
  state: Extract<InstanceObservation, { type: 'observed' }>['state'],
  at: string,
  subnet: string | null = subnetId,
): ObserveInstance => ({
  type: 'ObserveInstance',
  instance,
  observation: { type: 'observed', subnetId: subnet, productCodes: [], state, observedAt: at },
});
const inactivate = (at: string): ObserveInstance => ({
  type: 'ObserveInstance',
  instance,
  observation: { type: 'inactivated', inactivatedAt: at },
});
const attributes = (state: string, subnet = subnetId) => ({ subnetId: subnet, productCodes: [], state });

const { given, history } = DeciderSpecification.for(instanceDecider);

describe('instance decider (discovery observations -> the instance’s events)', () => {
  it('tracks an instance first seen in a subnet, with the health its state gives', () => {
    given([])
      .when(observe('running', T(1)))
      .then([
        {
          type: 'InstanceTracked',
          data: { ...ref(T(1)), ...attributes('running'), status: 'ACTIVE', statusMessage: undefined },
        },
      ]);
    given([])
      .when(observe('running', T(1), null))
      .thenNothing();
    given([])
      .when(inactivate(T(1)))
      .thenNothing();
  });

  it('records each health change as its own event, and ends with the termination', () => {
    const running = history(observe('running', T(1)));
    const stopped = given(running)
      .when(observe('stopped', T(2)))
      .then([
        {
          type: 'InstanceBecameUnhealthy',
          data: {
            ...ref(T(2)),
            ...attributes('stopped'),
            statusMessage: 'The instance is stopped: its users cannot connect until it runs.',
          },
        },
      ]);
    const back = given([...running, ...stopped])
      .when(observe('running', T(3)))
      .then([{ type: 'InstanceBecameActive', data: { ...ref(T(3)), ...attributes('running') } }]);
    const all = [...running, ...stopped, ...back];
    given(all)
      .when(observe('terminated', T(4)))
      .then([
        {
          type: 'InstanceTerminated',
          data: {
            ...ref(T(4)),
            ...attributes('terminated'),
            reason: 'TERMINATED',
            statusMessage: 'The instance was terminated: its users were disassociated.',
          },
        },
      ]);
    given(all)
      .when(inactivate(T(9)))
      .then((events) =>
        expect(events).toMatchObject([{ type: 'InstanceTerminated', data: { reason: 'INACTIVATED' } }]),
      );
    given(all)
      .when(inactivate(T(9)))
      .thenState((state) => expect(state).toMatchObject({ status: 'TERMINATED', state: 'running', subnetId }));
  });

  it('records a changed report that leaves the health as it was, and nothing for one that changes nothing', () => {
    const stopping = history(observe('stopping', T(1)));
    given(stopping)
      .when(observe('stopped', T(2), 'subnet-0def5678'))
      .then([
        {
          type: 'InstanceAttributesChanged',
          data: {
            ...ref(T(2)),
            ...attributes('stopped', 'subnet-0def5678'),
            statusMessage: 'The instance is stopped: its users cannot connect until it runs.',
          },
        },
      ]);
    given(stopping)
      .when(observe('stopping', T(2)))
      .thenNothing();
  });

  it('decides nothing on a redelivered, late or post-termination observation', () => {
    const events = history(observe('running', T(1)), observe('stopped', T(5)));
    given(events)
      .when(observe('stopped', T(5)))
      .thenNothing();
    given(events)
      .when(observe('running', T(3)))
      .thenNothing();
    const terminated = [
      ...events,
      ...given(events)
        .when(observe('terminated', T(6)))
        .decided(),
    ];
    given(terminated)
      .when(observe('terminated', T(6)))
      .thenNothing();
    given(terminated)
      .when(observe('running', T(7)))
      .thenNothing();
    given(terminated)
      .when(inactivate(T(9)))
      .thenNothing();
  });
});
