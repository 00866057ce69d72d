import { Inject, Injectable } from '@nestjs/common';
import { AggregateStates, CommandBatcher, stream, type EventStore } from '@lm/event-store';
import { EVENT_STORE } from '@lm/service-kit';
import type { Decision } from '../domain/decide';
import type { LicenseUsageEvent } from '../domain/events';
import {
  evolveLicenseUsage,
  initialLicenseUsage,
  licenseUsageStream,
  type LicenseUsageState,
} from '../domain/license-usage';

/**
 * The licences' usage streams. A licence's checkouts, check-ins, extensions and expiries are all
 * decided on its one stream, at the version they read; concurrent ones are decided one after
 * another on the evolving state and appended together (group commit), so no interleaving can
 * grant more than MaxCount. Folded states are kept between commands: a batch is decided on the
 * kept state and appended at its version, which another replica's append makes conflict (the
 * stream is then read and the batch decided again); a refusal is decided again on the stream as read.
 * After a conflict the licence's batches are decided under its stream's lock for a while, where the
 * replicas take turns (CommandBatcher, EventStore.decideUnderLock).
 */
@Injectable()
export class LicenseUsageStreams {
  private readonly states = new AggregateStates<LicenseUsageState, LicenseUsageEvent>(
    evolveLicenseUsage,
    initialLicenseUsage,
  );
  private readonly batcher: CommandBatcher;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    // Every granted usage command appends to the licence's stream: the batch need not read it first.
    this.batcher = new CommandBatcher(store, { decideOnKeptStates: true });
  }

  /** Decides on the licence's usage as it stands, appends the events, and resolves with the outcome. */
  async decide<Outcome>(licenseArn: string, decide: (state: LicenseUsageState) => Decision<Outcome>): Promise<Outcome> {
    const name = licenseUsageStream(licenseArn);
    let outcome: Outcome | undefined;
    await this.batcher.submit(name, {
      streams: { usage: stream(name, this.states) },
      decide: ({ usage }) => {
        const decision = decide(usage);
        // A conflict decides again: the outcome is the one of the decision that was appended.
        outcome = decision.outcome;
        return { usage: decision.events };
      },
    });
    return outcome as Outcome;
  }

  /** The licence's usage as stored now (for reading). */
  async current(licenseArn: string): Promise<LicenseUsageState> {
    return (await this.states.load(this.store, licenseUsageStream(licenseArn))).state;
  }
}
