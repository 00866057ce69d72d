import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, type Clock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { PendingSteps } from '../../shared/pending-steps';
import type { RegistrationOutcome } from '../domain/commands';
import { identityProviderDecider, identityProviderStream } from '../domain/decide';
import type { IdentityProviderRegistration } from '../domain/identity-provider';
import { DIRECTORY, type Directory } from './directory';
import type { IdentityProviderViews } from './identity-provider.views';
import { DirectoryUnreachableError, RegisteredDirectories } from './registered-directories';

/**
 * What finishes a registration or a deregistration after the request answered: a REGISTERING
 * registration binds to its directory with its secret's credentials and searches the domain,
 * then is REGISTERED or FAILED with the directory's error; a DEREGISTERING one is DEREGISTERED.
 * Each request starts its own at once (`soon`); the sweep takes whatever a restart or a crash
 * left unfinished (PendingSteps).
 */
@Injectable()
export class IdentityProviderSteps extends PendingSteps<IdentityProviderRegistration> {
  constructor(
    @Inject(DATABASE) db: Kysely<IdentityProviderViews>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DIRECTORY) private readonly directory: Directory,
    private readonly directories: RegisteredDirectories,
  ) {
    super(db, { table: 'identity_providers', pending: ['REGISTERING', 'DEREGISTERING'], oldestFirstBy: 'created_at' });
  }

  protected async settle(registration: IdentityProviderRegistration): Promise<void> {
    const { arn, accountId, directory, product } = registration;
    const stream = identityProviderStream(accountId, directory.directoryId, product);
    if (registration.status === 'DEREGISTERING') {
      await handleCommand(this.store, stream, identityProviderDecider, {
        type: 'CompleteDeregistration',
        arn,
        now: this.clock.now(),
      });
      return;
    }
    if (registration.status !== 'REGISTERING') return;
    const outcome = await this.reach(registration);
    await handleCommand(this.store, stream, identityProviderDecider, {
      type: 'CompleteRegistration',
      arn,
      outcome,
      now: this.clock.now(),
    });
  }

  /** Binds and searches with the secret's credentials: the secret's or the directory's error fails the registration. */
  private async reach(registration: IdentityProviderRegistration): Promise<RegistrationOutcome> {
    let connection;
    try {
      connection = await this.directories.connectionOf(registration);
    } catch (error) {
      if (error instanceof DirectoryUnreachableError) return { reached: false, failureMessage: error.message };
      throw error;
    }
    const verified = await this.directory.verify(connection);
    return verified.ok ? { reached: true } : { reached: false, failureMessage: verified.message };
  }
}
