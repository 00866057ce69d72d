import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { auditRecordsOf, type AuditMessage } from '@lm/contracts';
import { AUDIT_STREAM, AUDIT_SUBJECTS, DeliveryQueue, ensureAuditStream } from '@lm/messaging';
import { NATS } from '@lm/service-kit';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import { AuditEventsStore } from '../application/audit-events.store';
import { ExactJSONCodec } from '@lm/messaging';

/** Never rename it: the server keeps the consumer's place in the audit stream under this name. */
export const AUDIT_CONSUMER = 'reporting-audit-trail';

const codec = ExactJSONCodec<AuditMessage>();

/** The records a message carries: a batch of the gateway's, or one record of an older gateway's. */
const recordsIn = (message: JsMsg) => auditRecordsOf(codec.decode(message.data));

/** Messages stored together at most: those delivered while the previous ones were being stored. */
const BATCH_SIZE = 100;

/**
 * Stores the gateway's audit records from the audit stream with a durable consumer that the
 * replicas share: a message (a batch of records, or one record from an older gateway) is
 * acknowledged once its records are stored, so one published while reporting was down, or
 * delivered again after a crash, is stored exactly once (a record's eventID is the key). The
 * messages delivered while others are being stored are stored together next; should that fail,
 * their records are stored one at a time, so that one bad record holds up only its message.
 */
@Injectable()
export class AuditRecordConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditRecordConsumer');
  private messages?: ConsumerMessages;
  private done?: Promise<void>;

  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    private readonly store: AuditEventsStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureAuditStream(this.nc);
    const jsm = await this.nc.jetstreamManager();
    try {
      await jsm.consumers.info(AUDIT_STREAM, AUDIT_CONSUMER);
    } catch {
      await jsm.consumers.add(AUDIT_STREAM, {
        durable_name: AUDIT_CONSUMER,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: AUDIT_SUBJECTS,
        max_deliver: -1,
      });
    }
    const consumer = await this.nc.jetstream().consumers.get(AUDIT_STREAM, AUDIT_CONSUMER);
    const delivered = new DeliveryQueue<JsMsg>();
    const messages = await consumer.consume({ callback: (message) => delivered.push(message) });
    this.messages = messages;
    let open = true;
    // Closed by shutdown, or by the chassis draining the connection first.
    void messages.closed().then(() => {
      open = false;
      delivered.release();
    });
    this.done = (async () => {
      while (open) await this.storeDelivered(await delivered.take(BATCH_SIZE));
      // Not stored here: JetStream delivers them again, to another replica or after the restart
      // (at once when nak'd; after the ack wait when the connection is drained already).
      for (const message of delivered.drain()) {
        try {
          message.nak();
        } catch {
          // the connection is closed: the server redelivers once the ack wait passes
        }
      }
    })();
  }

  private async storeDelivered(batch: JsMsg[]): Promise<void> {
    try {
      await this.store.storeAll(batch.flatMap(recordsIn));
      for (const message of batch) message.ack();
      return;
    } catch (error) {
      this.logger.warn(`${batch.length} audit messages failed (${(error as Error).message}): one record at a time`);
    }
    for (const message of batch) {
      try {
        // The records stored before one that fails are not stored again when it is redelivered.
        for (const record of recordsIn(message)) await this.store.store(record);
        message.ack();
      } catch (error) {
        this.logger.error(
          `audit record batch on ${message.subject} not stored, redelivering: ${(error as Error).message}`,
        );
        message.nak(1_000);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // The chassis may have drained the connection first, which ends the messages already.
    await this.messages?.close().catch(() => undefined);
    await this.done;
  }
}
