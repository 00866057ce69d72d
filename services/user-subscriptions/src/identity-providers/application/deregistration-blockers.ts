import { Injectable } from '@nestjs/common';
import { Blockers } from '../../shared/blockers';
import type { IdentityProviderRegistration } from '../domain/identity-provider';

/**
 * The guide's prerequisites of deregistering a directory, each checked by the slice that owns it:
 * its users unsubscribed (product subscriptions), disassociated from its instances and the
 * instances terminated (associations, instances), its RDS license server endpoint deleted
 * (license servers). A slice adds its check in onModuleInit: `blockers.add(async (registration) =>
 * [...reasons])`; DeregisterIdentityProvider is then refused with ConflictException naming every
 * reason (docs/user-subscriptions.md#deregistration).
 */
@Injectable()
export class DeregistrationBlockers extends Blockers<IdentityProviderRegistration> {}
