import { Logger } from '@nestjs/common';
import { ConfigurationError, type Environment } from '../config/settings';
import { readLogSettings, wantsColours, type LogSettings } from './log-settings';
import { lineBatcher } from './line-batcher';
import { createLogger, type PinoLogger } from './logger';
import { NestPinoLogger } from './nest-logger';

/**
 * Makes the process's logger from LM_LOG_LEVEL and LM_LOG_FORMAT, writing to standard output a turn
 * of the event loop at a time (lineBatcher), and hands it to Nest, so that every `Logger` of the
 * process writes through it. Called first thing in a main: with a bad
 * setting it still installs a logger (the defaults) and then throws the ConfigurationError, for
 * the caller to report like any other bad setting.
 */
export function startLogging(
  service: string,
  env: Environment = process.env,
  terminal = process.stdout.isTTY === true,
): PinoLogger {
  let settings: LogSettings;
  let problem: ConfigurationError | undefined;
  try {
    settings = readLogSettings(env, terminal);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    problem = error;
    settings = readLogSettings({}, terminal);
  }
  const logger = createLogger({
    service,
    ...settings,
    colours: wantsColours(settings.format, env, terminal),
    out: lineBatcher(process.stdout),
  });
  Logger.overrideLogger(new NestPinoLogger(logger));
  if (problem) throw problem;
  return logger;
}
