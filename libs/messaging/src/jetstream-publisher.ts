import { headers, type ApiError, type NatsConnection, type PubAck } from 'nats';
import { ReplyInbox } from './reply-inbox';

/** The header by which JetStream drops a message it has stored already (nats.js' msgID). */
const MSG_ID_HEADER = 'Nats-Msg-Id';

/** How long a publish waits for its ack: nats.js' JetStream default. */
export const JETSTREAM_PUBLISH_TIMEOUT_MS = 5_000;

/** JetStream refused a message: its PubAck is an error (a stream limit, a storage failure...). */
export class JetStreamPublishError extends Error {
  constructor(
    readonly subject: string,
    readonly apiError: ApiError,
  ) {
    super(`JetStream refused the message on ${subject}: ${apiError.description} (${apiError.code})`);
  }
}

/** What a PubAck may hold: the stored message's stream and sequence, or JetStream's error. */
interface PubAckReply {
  stream?: string;
  seq?: number;
  duplicate?: boolean;
  error?: ApiError;
}

const decoder = new TextDecoder();

/**
 * Publishes to JetStream as nats.js' `js.publish` does (a core publish with a reply subject and
 * the message id header, its PubAck the reply), but over one ReplyInbox of its own instead of
 * nats.js' request, which builds a NatsError with its stack trace for each publish it settles.
 *
 * A publish resolves with its PubAck (`duplicate` when JetStream had the message id already) and
 * rejects with JetStreamPublishError when JetStream refuses it, NoRespondersError when no stream
 * binds the subject, OperationTimeoutError when no ack came in time.
 */
export class JetStreamPublisher {
  private readonly replies: ReplyInbox;

  constructor(nc: NatsConnection, timeoutMs = JETSTREAM_PUBLISH_TIMEOUT_MS) {
    this.replies = new ReplyInbox(nc, timeoutMs);
  }

  async publish(subject: string, data: Uint8Array, msgId: string): Promise<PubAck> {
    const header = headers();
    header.set(MSG_ID_HEADER, msgId);
    const reply = await this.replies.request(subject, data, header);
    const ack = JSON.parse(decoder.decode(reply.data)) as PubAckReply;
    if (ack.error) throw new JetStreamPublishError(subject, ack.error);
    if (typeof ack.stream !== 'string' || ack.stream === '' || typeof ack.seq !== 'number') {
      throw new Error(`invalid JetStream PubAck for ${subject}: ${decoder.decode(reply.data)}`);
    }
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate ?? false };
  }

  /** Stops listening for acks: the publishes still waiting fail as not acknowledged in time. */
  close(): void {
    this.replies.close();
  }
}
