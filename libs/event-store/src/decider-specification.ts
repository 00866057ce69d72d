import assert from 'node:assert/strict';
import type { Decider } from './command-handler';
import type { DomainEvent } from './event-store';

/**
 * What `thenThrows` checks the error against, as node:assert's `throws` does: an error class, a
 * RegExp on the message, an object whose properties must match (a RegExp matches a string
 * property, e.g. `{ code: 'ValidationException', message: /quota/ }`), or a predicate.
 */
export type ErrorExpectation = NonNullable<Parameters<typeof assert.throws>[1]>;

/**
 * Given/when/then specifications of a decider, with no test framework: a failed expectation
 * throws node:assert's AssertionError, which every runner reports.
 *
 *     const { given } = DeciderSpecification.for(licenseDecider);
 *     given([created]).when(rename).then([renamed]);
 *     given([]).when(rename).thenThrows({ code: 'ResourceNotFoundException' });
 */
export class DeciderSpecification<Command, Event extends DomainEvent, State> {
  private constructor(private readonly decider: Decider<Command, Event, State>) {}

  static for<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
  ): DeciderSpecification<Command, Event, State> {
    return new DeciderSpecification(decider);
  }

  /** The history of the aggregate (none for a new one). A bound function: `const { given } = spec` works. */
  readonly given = (events: readonly Event[]): Given<Command, Event, State> => new Given(this.decider, events);

  /**
   * The events that `commands` decide, each on the state the ones before it left, from a new
   * aggregate: a history told as the commands that made it.
   */
  readonly history = (...commands: Command[]): Event[] =>
    commands.reduce<Event[]>((events, command) => [...events, ...this.given(events).when(command).decided()], []);
}

export class Given<Command, Event extends DomainEvent, State> {
  constructor(
    private readonly decider: Decider<Command, Event, State>,
    private readonly history: readonly Event[],
  ) {}

  /** The state the history folds to. */
  get state(): State {
    return this.history.reduce(this.decider.evolve, this.decider.initialState());
  }

  when(command: Command): When<Event, State> {
    return new When(this.decider, this.state, () => this.decider.decide(command, this.state));
  }
}

export class When<Event extends DomainEvent, State> {
  constructor(
    private readonly decider: Pick<Decider<unknown, Event, State>, 'evolve'>,
    private readonly before: State,
    private readonly decide: () => Event[],
  ) {}

  /**
   * Expects exactly these events (deep strict equality), or runs an assertion on them; returns
   * them, so that a specification can extend the history with what was decided.
   */
  then(expected: readonly Event[] | ((events: Event[]) => void)): Event[] {
    const events = this.decide();
    if (typeof expected === 'function') expected(events);
    else assert.deepStrictEqual(events, expected);
    return events;
  }

  /** Expects the command to be accepted without any event: already done, or nothing to do. */
  thenNothing(): void {
    this.then([]);
  }

  /** Expects the state after the decided events to equal `expected`, or runs an assertion on it. */
  thenState(expected: State | ((state: State) => void)): void {
    const after = this.decide().reduce(this.decider.evolve, this.before);
    if (typeof expected === 'function') (expected as (state: State) => void)(after);
    else assert.deepStrictEqual(after, expected);
  }

  /** Expects the command to be refused; `expected` checks the error (see ErrorExpectation). */
  thenThrows(expected?: ErrorExpectation): void {
    if (expected === undefined) assert.throws(this.decide);
    else assert.throws(this.decide, expected);
  }

  /** The events decided, asserting nothing (to build the history of a later specification). */
  decided(): Event[] {
    return this.decide();
  }
}
