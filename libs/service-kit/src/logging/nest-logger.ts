import type { LoggerService } from '@nestjs/common';
import type { Level } from 'pino';
import type { PinoLogger } from './logger';

/**
 * Nest's LoggerService over pino: Nest's own lines and every `new Logger(context)` of the
 * services become records of the process's logger, with the Logger's context as `context`. A
 * message may be an object of fields with a `msg` (`logger.error({ msg, requestId })`).
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: PinoLogger) {}

  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }

  /**
   * Nest passes the context last (`Logger` appends it), and for errors a stack before it:
   * `error(message, stack?, context?)`.
   */
  private write(level: Level, message: unknown, params: unknown[]) {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = params.filter((param) => param !== undefined);
    const context = typeof rest.at(-1) === 'string' && !isStack(rest.at(-1)) ? (rest.pop() as string) : undefined;
    const stack = rest.find(isStack);
    const extra = rest.filter((param) => param !== stack);
    const fields: Record<string, unknown> = { context };
    let msg: string | undefined;
    if (message instanceof Error) {
      fields.err = message;
      msg = message.message;
    } else if (typeof message === 'object' && message !== null) {
      const { msg: text, ...others } = message as Record<string, unknown>;
      Object.assign(fields, others);
      msg = typeof text === 'string' ? text : undefined;
    } else {
      msg = String(message);
    }
    if (stack !== undefined) fields.stack = stack;
    if (extra.length > 0) fields.details = extra;
    this.pino[level](fields, msg);
  }
}

const isStack = (value: unknown) => typeof value === 'string' && /\n\s+at /.test(value);
