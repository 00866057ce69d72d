import { Inject, Injectable, Logger } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, type Clock, type Sweep } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { RegistrationOutcome } from '../domain/commands';
import { identityProviderDecider, identityProviderStream } from '../domain/decide';
import type { IdentityProviderRegistration } from '../domain/identity-provider';
import { DIRECTORY, type Directory } from './directory';
import type { IdentityProviderViews } from './identity-provider.views';
import { DirectoryUnreachableError, RegisteredDirectories } from './registered-directories';

/** Registrations settled per sweep: the next sweep takes the rest. */
const BATCH = 50;

/**
 * What finishes a registration or a deregistration after the request answered: a REGISTERING
 * registration binds to its directory with its secret's credentials and searches the domain,
 * then is REGISTERED or FAILED with the directory's error; a DEREGISTERING one is DEREGISTERED.
 * Each request starts its own at once (`soon`); the sweep takes whatever a restart or a crash
 * left unfinished. Replicas may settle the same registration together: the outcome is appended at
 * the version its decision read, so one of them records it.
 */
@Injectable()
export class IdentityProviderSteps implements Sweep {
  private readonly logger = new Logger('IdentityProviderSteps');
  private readonly db: Kysely<IdentityProviderViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<IdentityProviderViews>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DIRECTORY) private readonly directory: Directory,
    private readonly directories: RegisteredDirectories,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  /** Settles the registration in the background; a failure is left to the sweep. */
  soon(arn: string): void {
    this.settleArn(arn).catch((error) =>
      this.logger.warn(`settling ${arn} failed, the sweep retries: ${String(error)}`),
    );
  }

  /** The number of registrations settled. */
  async sweep(): Promise<number> {
    const rows = await this.db
      .selectFrom('identity_providers')
      .select('state')
      .where('status', 'in', ['REGISTERING', 'DEREGISTERING'])
      .orderBy('created_at')
      .limit(BATCH)
      .execute();
    for (const { state } of rows) await this.settle(state);
    return rows.length;
  }

  private async settleArn(arn: string): Promise<void> {
    const row = await this.db
      .selectFrom('identity_providers')
      .select('state')
      .where('arn', '=', arn)
      .executeTakeFirst();
    if (row) await this.settle(row.state);
  }

  private async settle(registration: IdentityProviderRegistration): Promise<void> {
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
