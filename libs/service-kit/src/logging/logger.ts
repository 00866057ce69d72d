import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogFormat, LogLevel } from './log-settings';
import { prettyLine, type LogRecord } from './pretty-line';

export type { PinoLogger };

export interface LoggerOptions {
  /** The process's name (`gateway`, `licensing`, `supervisor`...), in every record as `service`. */
  service: string;
  level: LogLevel;
  format: LogFormat;
  /** Whether `pretty` lines are coloured. */
  colours: boolean;
  /**
   * Where lines go: standard output unless told. Its writes are synchronous on Linux (files,
   * pipes and terminals), so a line logged just before process.exit is not lost.
   */
  out?: { write(text: string): unknown };
}

/**
 * A pino logger writing one record a line: `{"level":"info","time":"<ISO 8601>","service":"...",
 * "pid":...,<fields>,"msg":"..."}`, or that record as a readable line for the `pretty` format.
 */
export function createLogger({ service, level, format, colours, out = process.stdout }: LoggerOptions): PinoLogger {
  const destination: DestinationStream =
    format === 'json'
      ? { write: (line) => void out.write(line) }
      : { write: (line) => void out.write(prettyLine(JSON.parse(line) as LogRecord, colours)) };
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names rather than pino's numbers: what LM_LOG_LEVEL takes and people search for.
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
