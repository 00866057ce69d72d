import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { DeciderSpecification, type Decider } from '../src';

type DoorEvent = { type: 'Opened'; data: { by: string } } | { type: 'Closed'; data: { by: string } };
type DoorCommand = { type: 'Open' | 'Close'; by: string };
type DoorState = { open: boolean; openings: number };

class DoorError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const door: Decider<DoorCommand, DoorEvent, DoorState> = {
  initialState: () => ({ open: false, openings: 0 }),
  evolve: (state, event) =>
    event.type === 'Opened' ? { open: true, openings: state.openings + 1 } : { ...state, open: false },
  decide: (command, state) => {
    if (command.type === 'Open') {
      if (state.open) return [];
      return [{ type: 'Opened', data: { by: command.by } }];
    }
    if (!state.open) throw new DoorError('InvalidState', `the door is already closed (${command.by})`);
    return [{ type: 'Closed', data: { by: command.by } }];
  },
};

const spec = DeciderSpecification.for(door);
const opened: DoorEvent = { type: 'Opened', data: { by: 'ann' } };

describe('DeciderSpecification', () => {
  it('passes when the decided events are exactly the expected ones, and returns them', () => {
    const events = spec
      .given([opened])
      .when({ type: 'Close', by: 'bob' })
      .then([{ type: 'Closed', data: { by: 'bob' } }]);
    expect(events).toEqual([{ type: 'Closed', data: { by: 'bob' } }]);
    spec
      .given([])
      .when({ type: 'Open', by: 'ann' })
      .then((decided) => expect(decided).toHaveLength(1));
    spec.given([opened]).when({ type: 'Open', by: 'bob' }).thenNothing();
  });

  it('fails with an AssertionError when the events differ, in any field', () => {
    expect(() => spec.given([]).when({ type: 'Open', by: 'ann' }).then([])).toThrow(AssertionError);
    expect(() =>
      spec
        .given([])
        .when({ type: 'Open', by: 'ann' })
        .then([{ type: 'Opened', data: { by: 'bob' } }]),
    ).toThrow(AssertionError);
    expect(() => spec.given([]).when({ type: 'Open', by: 'ann' }).thenNothing()).toThrow(AssertionError);
  });

  it('checks a refusal against an error class, a message pattern or matching properties', () => {
    const refused = () => spec.given([]).when({ type: 'Close', by: 'bob' });
    refused().thenThrows();
    refused().thenThrows(DoorError);
    refused().thenThrows(/already closed/);
    refused().thenThrows({ code: 'InvalidState', message: /\(bob\)/ });
    expect(() => refused().thenThrows({ code: 'OtherCode' })).toThrow(AssertionError);
    expect(() => refused().then([])).toThrow(DoorError);
    expect(() => spec.given([opened]).when({ type: 'Close', by: 'bob' }).thenThrows()).toThrow(AssertionError);
  });

  it('tells a history as the commands that made it, each decided on the state the ones before left', () => {
    expect(spec.history({ type: 'Open', by: 'ann' }, { type: 'Open', by: 'bob' }, { type: 'Close', by: 'cy' })).toEqual(
      [opened, { type: 'Closed', data: { by: 'cy' } }],
    );
    expect(() =>
      spec.history({ type: 'Open', by: 'ann' }, { type: 'Close', by: 'bob' }, { type: 'Close', by: 'cy' }),
    ).toThrow(DoorError);
  });

  it('folds the history into the state, and the decided events into the state after', () => {
    expect(spec.given([opened, { type: 'Closed', data: { by: 'bob' } }, opened]).state).toEqual({
      open: true,
      openings: 2,
    });
    spec.given([]).when({ type: 'Open', by: 'ann' }).thenState({ open: true, openings: 1 });
    expect(() => spec.given([]).when({ type: 'Open', by: 'ann' }).thenState({ open: false, openings: 0 })).toThrow(
      AssertionError,
    );
    spec
      .given([opened])
      .when({ type: 'Close', by: 'bob' })
      .thenState((state) => expect(state.open).toBe(false));
    expect(spec.given([opened]).when({ type: 'Close', by: 'bob' }).decided()).toEqual([
      { type: 'Closed', data: { by: 'bob' } },
    ]);
  });
});
