import type { Caller } from '@lm/contracts';
import { openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LicenseConfigurationCommands } from '../src/configurations/application/license-configuration.commands';
import { LicenseConfigurationStates } from '../src/configurations/application/license-configuration.states';
import { parseLicenseConfigurationArn } from '../src/configurations/domain/arn';
import { licenseConfigurationStream } from '../src/configurations/domain/decide';
import { LicensingService } from '../src/licensing.service';
import { ServiceSettingsQueries } from '../src/settings/application/service-settings.queries';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { NewStreamBatcher } from '@lm/event-store';

const caller = { accountId: '111111111111', region: 'us-east-1' } as Caller;
const clock = { now: () => new Date() };

describe("licensing's kept configuration states (shared by the configuration and specification commands)", () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  /** A replica's command side: its own kept states over the shared store. */
  const replica = () => {
    const states = new LicenseConfigurationStates();
    const commands = new LicenseConfigurationCommands(
      storage.store,
      clock,
      new ServiceSettingsQueries(storage.store),
      { onProductInformationChanged: async () => undefined },
      states,
      new NewStreamBatcher(storage.store),
    );
    return { states, commands };
  };
  const streamOf = (arn: string) => licenseConfigurationStream(parseLicenseConfigurationArn(arn)!.id);

  beforeAll(async () => {
    database = await createTestDatabase('lm_configuration_states');
    storage = await openServiceStorageOf(LicensingService, { DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('keeps a configuration it changed, and forgets it once it is deleted', async () => {
    const { states, commands } = replica();
    const { LicenseConfigurationArn: arn } = await commands.create(caller, {
      Name: 'kept',
      LicenseCountingType: 'vCPU',
    });
    await commands.update(caller, { LicenseConfigurationArn: arn, Description: 'one' });
    expect(states.kept(streamOf(arn))?.state).toMatchObject({ status: 'present' });

    await commands.delete(caller, arn);
    expect(states.kept(streamOf(arn))).toBeUndefined();
    // Named again, it is read from its stream: deleted, so not found.
    await expect(commands.update(caller, { LicenseConfigurationArn: arn, Description: 'two' })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(commands.delete(caller, arn)).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it("decides on another replica's changes made since it kept the state", async () => {
    const first = replica();
    const second = replica();
    const { LicenseConfigurationArn: arn } = await first.commands.create(caller, {
      Name: 'shared',
      LicenseCountingType: 'Instance',
    });
    await first.commands.update(caller, { LicenseConfigurationArn: arn, LicenseCount: 5 });
    await second.commands.update(caller, { LicenseConfigurationArn: arn, LicenseCountHardLimit: true });
    // The first replica's kept state is behind by the second's update: its next load reads it in.
    await first.commands.update(caller, { LicenseConfigurationArn: arn, Description: 'after both' });
    const kept = first.states.kept(streamOf(arn))!;
    const { currentVersion } = await storage.store.readStream(streamOf(arn));
    expect(kept.version).toBe(currentVersion - 1);
    expect(kept.state).toMatchObject({
      status: 'present',
      configuration: { licenseCount: 5, hardLimit: true },
    });

    // Deleted by the second replica: the first reads the deletion on its next command.
    await second.commands.delete(caller, arn);
    await expect(
      first.commands.update(caller, { LicenseConfigurationArn: arn, Description: 'too late' }),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });
});
