import { ServerNats, type Deserializer, type Serializer } from '@nestjs/microservices';
import { ExactJSONCodec } from '@lm/messaging';
import { inOperation } from './operation-scope';

/**
 * Nest's NATS server, taking each request's route as the subject string it is. Nest first tries
 * to read a pattern as JSON, for patterns that are objects; ours are plain subjects
 * (`lm.<namespace>.<service>.<Operation>`), so that attempt threw a SyntaxError, stack trace and
 * all, on every request: a few per cent of a service's CPU on a hot path (bench:profile).
 */
export class OperationServer extends ServerNats {
  override getRouteFromPattern(pattern: string): string {
    return isPlainSubject(pattern) ? pattern : super.getRouteFromPattern(pattern);
  }

  /** Each request is served in the scope of its operation (operation-scope.ts). */
  override handleMessage(channel: string, natsMsg: Parameters<ServerNats['handleMessage']>[1]) {
    return inOperation(channel.slice(channel.lastIndexOf('.') + 1), () => super.handleMessage(channel, natsMsg));
  }
}

/** A subject of letters, digits, dots, dashes and underscores: never JSON. */
export function isPlainSubject(pattern: unknown): pattern is string {
  return typeof pattern === 'string' && /^[\w.-]+$/.test(pattern);
}

const codec = ExactJSONCodec<unknown>();

/**
 * Nest's NATS (de)serializers with longs kept exact (ExactJSONCodec): a long the gateway sends
 * beyond 2 ** 53 - 1 reaches the handler as a bigint, and one a handler answers leaves as its digits.
 */
export const EXACT_NATS_SERIALIZER: Serializer = {
  serialize: (packet: unknown) => ({ data: codec.encode(packet), headers: undefined }),
};

export const EXACT_NATS_DESERIALIZER: Deserializer = {
  deserialize(value: Uint8Array, options?: { channel?: string }) {
    const decoded = codec.decode(value) as { pattern?: unknown; data?: unknown } | null;
    // What is not a packet of Nest's (a plain-JSON asker) is the data of a request on its subject, as Nest reads it.
    return decoded && (decoded.pattern !== undefined || decoded.data !== undefined)
      ? decoded
      : { pattern: options?.channel, data: decoded };
  },
};
