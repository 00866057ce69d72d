import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../src/config/settings';
import { readLogSettings, wantsColours } from '../src/logging/log-settings';
import { createLogger, type LoggerOptions } from '../src/logging/logger';
import { NestPinoLogger } from '../src/logging/nest-logger';
import { startLogging } from '../src/logging/start-logging';

/** What a logger wrote, line by line. */
class Captured {
  text = '';
  write(text: string) {
    this.text += text;
  }
  get lines(): string[] {
    return this.text.split('\n').filter(Boolean);
  }
  get records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

const capture = (options: Partial<LoggerOptions> = {}) => {
  const out = new Captured();
  const logger = createLogger({ service: 'licensing', level: 'info', format: 'json', colours: false, out, ...options });
  return { out, logger };
};

describe('the process logger', () => {
  it('writes one JSON object a line with level name, ISO time, service, pid, fields and msg', () => {
    const { out, logger } = capture();
    logger.info({ requestId: 'r-1', operation: 'CreateLicense' }, 'handled');
    logger.warn('careful');

    expect(out.lines).toHaveLength(2);
    const [first, second] = out.records;
    expect(first).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'licensing',
      pid: process.pid,
      requestId: 'r-1',
      operation: 'CreateLicense',
      msg: 'handled',
    });
    expect(second).toMatchObject({ level: 'warn', service: 'licensing', msg: 'careful' });
  });

  it('drops what is below its level and keeps the rest', () => {
    const { out, logger } = capture({ level: 'warn' });
    logger.debug('debug');
    logger.info('info');
    logger.warn('warn');
    logger.error('error');
    expect(out.records.map((record) => record.level)).toEqual(['warn', 'error']);
  });

  it('writes an error with its type, message and stack', () => {
    const { out, logger } = capture();
    logger.error({ err: new TypeError('boom') }, 'failed');
    const [record] = out.records;
    expect(record.err).toMatchObject({
      type: 'TypeError',
      message: 'boom',
      stack: expect.stringContaining('TypeError: boom\n    at '),
    });
  });

  describe('pretty format', () => {
    it('writes one readable line without colour codes unless asked', () => {
      const { out, logger } = capture({ format: 'pretty' });
      logger.info({ context: 'request', requestId: 'r-1', status: 200 }, 'CreateLicense answered 200');
      expect(out.text).toMatch(
        /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[request\] CreateLicense answered 200 requestId=r-1 status=200\n$/,
      );
      expect(out.text).not.toContain('\x1b[');
    });

    it('colours the level when asked', () => {
      const { out, logger } = capture({ format: 'pretty', colours: true });
      logger.error('failed');
      expect(out.text).toContain('\x1b[31mERROR\x1b[39m');
    });
  });
});

describe('Nest logging through the process logger', () => {
  const nestLogger = (level: LoggerOptions['level'] = 'trace') => {
    const { out, logger } = capture({ level });
    Logger.overrideLogger(new NestPinoLogger(logger));
    return out;
  };
  afterEach(() => Logger.overrideLogger(false));

  it("gives every Logger's context, and maps Nest's levels to pino's", () => {
    const out = nestLogger();
    const logger = new Logger('ServiceRuntime');
    logger.log('ready');
    logger.warn('slow');
    logger.debug('detail');
    logger.verbose('more detail');
    logger.fatal('gone');
    expect(out.records.map(({ level, context, msg }) => ({ level, context, msg }))).toEqual([
      { level: 'info', context: 'ServiceRuntime', msg: 'ready' },
      { level: 'warn', context: 'ServiceRuntime', msg: 'slow' },
      { level: 'debug', context: 'ServiceRuntime', msg: 'detail' },
      { level: 'trace', context: 'ServiceRuntime', msg: 'more detail' },
      { level: 'fatal', context: 'ServiceRuntime', msg: 'gone' },
    ]);
  });

  it("takes fields from an object message, and keeps Nest's error(message, stack, context) apart", () => {
    const out = nestLogger();
    new Logger('Operation').error({ msg: 'CreateLicense failed: boom', requestId: 'r-9', operation: 'CreateLicense' });
    const stack = new Error('boom').stack!;
    Logger.error('Nest failed', stack, 'ExceptionHandler');
    const [fields, nest] = out.records;
    expect(fields).toMatchObject({
      level: 'error',
      context: 'Operation',
      msg: 'CreateLicense failed: boom',
      requestId: 'r-9',
      operation: 'CreateLicense',
    });
    expect(nest).toMatchObject({ level: 'error', context: 'ExceptionHandler', msg: 'Nest failed', stack });
  });

  it('filters by level before writing', () => {
    const out = nestLogger('error');
    const logger = new Logger('x');
    logger.log('info');
    logger.warn('warn');
    logger.error('error');
    expect(out.records.map((record) => record.msg)).toEqual(['error']);
  });
});

describe('LM_LOG_LEVEL and LM_LOG_FORMAT', () => {
  afterEach(() => Logger.overrideLogger(false));

  const started = (env: Record<string, string>, terminal = false) => startLogging('grants', env, terminal);

  it('default to info, and take the level given', () => {
    expect(started({}).level).toBe('info');
    expect(started({ LM_LOG_LEVEL: 'debug' }).level).toBe('debug');
    expect(started({ LM_LOG_LEVEL: 'fatal' }).level).toBe('fatal');
  });

  it('default to JSON away from a terminal and to readable lines on one', () => {
    expect(readLogSettings({}, false).format).toBe('json');
    expect(readLogSettings({}, true).format).toBe('pretty');
    expect(readLogSettings({ LM_LOG_FORMAT: 'json' }, true).format).toBe('json');
  });

  it('colour readable lines on a terminal or when FORCE_COLOR asks, never JSON, never with NO_COLOR', () => {
    expect(wantsColours('pretty', {}, true)).toBe(true);
    expect(wantsColours('pretty', {}, false)).toBe(false);
    expect(wantsColours('pretty', { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(wantsColours('pretty', { FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(false);
    expect(wantsColours('pretty', { NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsColours('json', { FORCE_COLOR: '1' }, true)).toBe(false);
  });

  it('refuse a level that is not one, naming the variable and the levels', () => {
    let error: unknown;
    try {
      started({ LM_LOG_LEVEL: 'loud' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      'LM_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, not "loud"',
    );
  });

  it('refuse a format that is not one', () => {
    expect(() => started({ LM_LOG_FORMAT: 'xml' })).toThrow('LM_LOG_FORMAT must be one of json, pretty, not "xml"');
  });

  it('still install a logger (the defaults) when refusing, so that the refusal is logged', () => {
    expect(() => started({ LM_LOG_LEVEL: 'loud' })).toThrow(ConfigurationError);
    expect(Logger['staticInstanceRef']).toBeInstanceOf(NestPinoLogger);
  });
});
