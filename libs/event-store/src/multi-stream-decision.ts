import type { AggregateStates } from './aggregate-states';
import type { DomainEvent, NewEvent } from './event-store';

/** One stream a decision reads and may append to, with where its folded state is kept. */
export interface DecisionStream<State = any, E extends DomainEvent = any> {
  name: string;
  states: AggregateStates<State, E>;
}

/**
 * Streams of one kind a decision spans, as many as the command names (the configurations an
 * association touches), by a key of the caller's choosing (the configuration's ARN).
 */
export interface DecisionStreamGroup<Key = any, State = any, E extends DomainEvent = any> {
  names: ReadonlyMap<Key, string>;
  states: AggregateStates<State, E>;
}

/** The streams of a decision by role: `{ resource: stream(...), configurations: streamGroup(...) }`. */
export type DecisionStreams = Record<string, DecisionStream | DecisionStreamGroup>;

/** What a decision is given: each role's state (a group's by key). */
export type DecisionStates<S extends DecisionStreams> = {
  readonly [K in keyof S]: S[K] extends DecisionStreamGroup<infer Key, infer State>
    ? ReadonlyMap<Key, State>
    : S[K] extends DecisionStream<infer State>
      ? State
      : never;
};

/** What a decision returns: each role's new events (a group's by key); a role left out gets none. */
export type Decision<S extends DecisionStreams> = {
  [K in keyof S]?: S[K] extends DecisionStreamGroup<infer Key, any, infer E>
    ? ReadonlyMap<Key, readonly E[]>
    : S[K] extends DecisionStream<any, infer E>
      ? readonly E[]
      : never;
};

export type Decide<S extends DecisionStreams> = (states: DecisionStates<S>) => Decision<S>;

/** A decision over several streams, typed by role. */
export interface MultiStreamDecision<S extends DecisionStreams> {
  streams: S;
  /** NoInfer: the roles come from `streams` alone, so the events `decide` returns are typed by them. */
  decide: NoInfer<Decide<S>>;
}

export function stream<State, E extends DomainEvent>(
  name: string,
  states: AggregateStates<State, E>,
): DecisionStream<State, E> {
  return { name, states };
}

export function streamGroup<Key, State, E extends DomainEvent>(
  names: Iterable<readonly [Key, string]>,
  states: AggregateStates<State, E>,
): DecisionStreamGroup<Key, State, E> {
  return { names: new Map(names), states };
}

/**
 * The decision by stream name, which the store's appends and the batcher work with. A stream
 * named in two roles is loaded once, and its events of both roles are appended in role order.
 */
export interface StreamDecision {
  streams: DecisionStream[];
  decide(states: ReadonlyMap<string, unknown>): Map<string, NewEvent[]>;
}

/** Lowers a typed decision to one by stream name; `decided` reads what its last run decided. */
export function byStreamName<S extends DecisionStreams>({
  streams,
  decide,
}: MultiStreamDecision<S>): StreamDecision & { decided(): Decision<S> } {
  const roles = Object.entries(streams);
  let last: Decision<S> = {};
  return {
    streams: roles.flatMap(([, role]) =>
      isGroup(role) ? [...role.names.values()].map((name) => ({ name, states: role.states })) : [role],
    ),
    decide(states) {
      const typed = Object.fromEntries(
        roles.map(([key, role]) => [
          key,
          isGroup(role)
            ? new Map([...role.names].map(([groupKey, name]) => [groupKey, states.get(name)]))
            : states.get(role.name),
        ]),
      ) as DecisionStates<S>;
      last = decide(typed);
      const appends = new Map<string, NewEvent[]>();
      const add = (name: string, events: readonly NewEvent[]) =>
        appends.set(name, [...(appends.get(name) ?? []), ...events]);
      for (const [key, role] of roles) {
        const decided: readonly NewEvent[] | ReadonlyMap<unknown, readonly NewEvent[]> | undefined = last[key];
        if (decided === undefined) continue;
        if (isGroup(role)) {
          for (const [groupKey, events] of decided as ReadonlyMap<unknown, readonly NewEvent[]>) {
            const name = role.names.get(groupKey);
            if (name === undefined) throw new TypeError(`the decision names ${String(groupKey)}, not one of ${key}`);
            add(name, events);
          }
        } else add(role.name, decided as readonly NewEvent[]);
      }
      return appends;
    },
    decided: () => last,
  };
}

function isGroup(role: DecisionStream | DecisionStreamGroup): role is DecisionStreamGroup {
  return 'names' in role;
}
