import { AggregateStates, CommandBatcher, stream, type AggregateStatesOptions, type EventStore } from '../src';

/** A seat taken (the seat's number, counting from 1) or one given back. */
export type SeatEvent = { type: 'Taken'; data: { seat: number } } | { type: 'Released'; data: object };

/**
 * One process's view of a pool of `seats` seats on `store`: its own kept states and batcher
 * deciding on them (decideOnKeptStates), as a replica of a service has. A take past the pool's
 * size is refused 'none left'; `decisions` counts every call of the decider, a batch decided again
 * included. `options`: its kept states' (presumeNew).
 */
export function seatReplica(store: EventStore, seats: number, options: AggregateStatesOptions = {}) {
  const states = new AggregateStates<number, SeatEvent>(
    (taken, event) => (event.type === 'Taken' ? taken + 1 : taken - 1),
    () => 0,
    options,
  );
  const batcher = new CommandBatcher(store, { decideOnKeptStates: true });
  let decisions = 0;
  const submit = (name: string, type: SeatEvent['type']) =>
    batcher.submit(name, {
      streams: { taken: stream(name, states) },
      decide: ({ taken }) => {
        decisions += 1;
        if (type === 'Released') return { taken: [{ type, data: {} }] };
        if (taken >= seats) throw new Error('none left');
        return { taken: [{ type, data: { seat: taken + 1 } }] };
      },
    });
  return {
    take: (name: string) => submit(name, 'Taken'),
    release: (name: string) => submit(name, 'Released'),
    decisions: () => decisions,
  };
}
