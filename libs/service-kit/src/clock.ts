/** Time as the domain sees it; injectable so that expiry and schedules are tested without sleeping. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => new Date() };
