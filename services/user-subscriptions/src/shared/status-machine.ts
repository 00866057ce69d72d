/**
 * A status and the statuses it may move to: the deciders ask `can(from, to)` before they emit an
 * event that changes a status, so that no event ever records a move the table does not allow.
 */
export interface StatusMachine<S extends string> {
  readonly transitions: Readonly<Record<S, readonly S[]>>;
  can(from: S | undefined, to: S): boolean;
}

/** `initial`: the statuses a resource may be created in (from no status). */
export function statusMachine<S extends string>(
  initial: readonly S[],
  transitions: Readonly<Record<S, readonly S[]>>,
): StatusMachine<S> {
  return {
    transitions,
    can: (from, to) => (from === undefined ? initial.includes(to) : transitions[from].includes(to)),
  };
}
