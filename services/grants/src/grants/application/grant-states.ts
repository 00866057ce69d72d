import { AggregateStates } from '@lm/event-store';
import type { GrantEvent } from '../domain/events';
import { evolveGrant, initialGrantState, type GrantState } from '../domain/grant';

/** A cache of grant aggregates, folded with the domain's evolve, for decisions across grant streams. */
export const grantStates = () => new AggregateStates<GrantState, GrantEvent>(evolveGrant, initialGrantState);
