import { oneOf, readSettings, type ConfigOf, type Environment } from '../config/settings';

/** The levels of LM_LOG_LEVEL, most verbose first (pino's names). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `json`: one JSON object a line, for collectors; `pretty`: one readable line, for people. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * LM_LOG_LEVEL (info unless set) and LM_LOG_FORMAT: unset, a process writes readable lines to a
 * terminal and JSON lines anywhere else (a pipe, a file, a container runtime).
 */
export const logSettings = (terminal: boolean) => ({
  level: oneOf<LogLevel>('LM_LOG_LEVEL', LOG_LEVELS, 'info'),
  format: oneOf<LogFormat>('LM_LOG_FORMAT', LOG_FORMATS, terminal ? 'pretty' : 'json'),
});

export type LogSettings = ConfigOf<ReturnType<typeof logSettings>>;

export const readLogSettings = (env: Environment, terminal: boolean): LogSettings =>
  readSettings(logSettings(terminal), env);

/**
 * Colours only for a readable format on a terminal, or when FORCE_COLOR asks for them (the
 * supervisor does, for the processes whose output it copies to its terminal); NO_COLOR wins.
 */
export function wantsColours(format: LogFormat, env: Environment, terminal: boolean): boolean {
  if (format !== 'pretty' || (env.NO_COLOR ?? '') !== '') return false;
  return terminal || (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0');
}
