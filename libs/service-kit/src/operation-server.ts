import { ServerNats } from '@nestjs/microservices';

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
}

/** A subject of letters, digits, dots, dashes and underscores: never JSON. */
export function isPlainSubject(pattern: unknown): pattern is string {
  return typeof pattern === 'string' && /^[\w.-]+$/.test(pattern);
}
