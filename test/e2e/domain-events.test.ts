import {
  CreateLicenseConfigurationCommand,
  DeleteLicenseConfigurationCommand,
  UpdateLicenseConfigurationCommand,
} from '@aws-sdk/client-license-manager';
import { eventsStreamName } from '@lm/messaging';
import { type DomainEventMessage } from '@lm/contracts';
import { AckPolicy, connect, DeliverPolicy, JSONCodec, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

describe('other systems integrate by the events on JetStream', () => {
  let system: RunningSystem;
  let nc: NatsConnection;
  beforeAll(async () => {
    system = await startSystem();
    nc = await connect({ servers: process.env.NATS_URL });
  });
  afterAll(async () => {
    await nc?.close();
    await system?.stop();
  });

  it('publishes each licensing event once on lm.events.licensing.<Type>, in stream order', async () => {
    const client = licenseManager(system, accounts.management);
    const { LicenseConfigurationArn: arn } = await client.send(
      new CreateLicenseConfigurationCommand({ Name: 'evented', LicenseCountingType: 'Socket', LicenseCount: 2 }),
    );
    await client.send(
      new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, LicenseConfigurationStatus: 'DISABLED' }),
    );
    await client.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));

    const stream = eventsStreamName(system.natsNamespace);
    const jsm = await nc.jetstreamManager();
    const subject = `lm.${system.natsNamespace}.events.licensing.>`;
    await jsm.consumers.add(stream, {
      durable_name: 'e2e-reader',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: subject,
    });
    const consumer = await nc.jetstream().consumers.get(stream, 'e2e-reader');
    const received: { subject: string; event: DomainEventMessage }[] = [];
    const deadline = Date.now() + 10_000;
    while (received.length < 3 && Date.now() < deadline) {
      const message = await consumer.next({ expires: 1_000 });
      if (!message) continue;
      received.push({ subject: message.subject, event: JSONCodec<DomainEventMessage>().decode(message.data) });
      message.ack();
    }
    expect(received.map((r) => r.subject)).toEqual([
      `lm.${system.natsNamespace}.events.licensing.LicenseConfigurationCreated`,
      `lm.${system.natsNamespace}.events.licensing.LicenseConfigurationUpdated`,
      `lm.${system.natsNamespace}.events.licensing.LicenseConfigurationDeleted`,
    ]);
    const id = arn!.split(':').pop();
    expect(received.map((r) => [r.event.service, r.event.streamName, r.event.streamVersion])).toEqual([
      ['licensing', `license-configuration-${id}`, 1],
      ['licensing', `license-configuration-${id}`, 2],
      ['licensing', `license-configuration-${id}`, 3],
    ]);
    expect(received[0].event.data).toMatchObject({
      arn,
      name: 'evented',
      countingType: 'Socket',
      licenseCount: 2,
      ownerAccountId: '111111111111',
    });
    expect(received[1].event.data).toMatchObject({ changes: { status: 'DISABLED' } });
    const more = await consumer.next({ expires: 1_000 });
    expect(more).toBeNull();
  });
});
