import pino from 'pino';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * The supervisor's own lines. On a terminal, `[supervisor] message` beside the services' prefixed
 * lines; anywhere else, JSON lines of the services' shape (see createLogger in
 * libs/service-kit/src/logging) with `service: "supervisor"`, so that one parser reads the whole
 * output. At LM_LOG_LEVEL; a bad value is the services' to refuse, with a message naming it.
 */
export function supervisorLog({
  terminal = process.stdout.isTTY === true,
  env = process.env,
  out = process.stdout,
} = {}) {
  if (terminal) {
    return {
      info: (message) => console.log(`[supervisor] ${message}`),
      error: (message) => console.error(`[supervisor] ${message}`),
    };
  }
  const logger = pino(
    {
      level: LEVELS.includes(env.LM_LOG_LEVEL) ? env.LM_LOG_LEVEL : 'info',
      base: { service: 'supervisor', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line) => out.write(line) },
  );
  return { info: (message) => logger.info(message), error: (message) => logger.error(message) };
}

/**
 * What the supervisor adds to its processes' environment: on a terminal, readable coloured
 * lines (their own output is a pipe, which would make them write JSON), unless LM_LOG_FORMAT,
 * NO_COLOR or FORCE_COLOR already say otherwise.
 */
export function childLogEnvironment({ terminal = process.stdout.isTTY === true, env = process.env } = {}) {
  if (!terminal) return {};
  return {
    ...(env.LM_LOG_FORMAT ? {} : { LM_LOG_FORMAT: 'pretty' }),
    ...(env.NO_COLOR || env.FORCE_COLOR !== undefined ? {} : { FORCE_COLOR: '1' }),
  };
}
