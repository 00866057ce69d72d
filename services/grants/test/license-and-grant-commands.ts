import { NewStreamBatcher, type EventStore } from '@lm/event-store';
import type { Clock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { GrantCommands } from '../src/grants/application/grant.commands';
import type { LicenseAccess } from '../src/grants/application/license-access';
import { OrganizationIntegrations } from '../src/grants/application/organization-integration.queries';
import { LicenseCommands } from '../src/licenses/application/license.commands';
import { FixedSigningKeys } from './fixed-signing-keys';

/** Licences' and grants' commands on a service's storage, wired as the grants service wires them, issuing with the fixed key. */
export function licenseAndGrantCommands(
  infra: { store: EventStore; db: Kysely<any> },
  clock: Clock,
  region: string,
  access: LicenseAccess,
): { licenses: LicenseCommands; grants: GrantCommands } {
  const newStreams = new NewStreamBatcher(infra.store);
  return {
    licenses: new LicenseCommands(infra.store, infra.db, clock, region, new FixedSigningKeys(), access, newStreams),
    grants: new GrantCommands(
      infra.store,
      infra.db,
      clock,
      region,
      access,
      new OrganizationIntegrations(infra.db, region),
      newStreams,
    ),
  };
}
