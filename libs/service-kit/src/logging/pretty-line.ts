/** A log record as the JSON format writes it. */
export type LogRecord = Record<string, unknown> & { level?: string; time?: string; msg?: string; context?: string };

/** Fields shown in the line's fixed parts, or not at all (the supervisor's prefix names the process). */
const SHOWN_APART = new Set(['level', 'time', 'msg', 'context', 'service', 'pid', 'err', 'stack']);

const ANSI = { grey: 90, red: 31, yellow: 33, green: 32, magenta: 35, cyan: 36 } as const;
const LEVEL_COLOURS: Record<string, keyof typeof ANSI> = {
  trace: 'grey',
  debug: 'cyan',
  info: 'green',
  warn: 'yellow',
  error: 'red',
  fatal: 'magenta',
};

/**
 * One record as a person reads it: `12:04:05.123 INFO  [context] message key=value ...`, with
 * an error's stack on the lines below (a stack is the one thing worth several lines).
 */
export function prettyLine(record: LogRecord, colours: boolean): string {
  const paint = (colour: keyof typeof ANSI, text: string) => (colours ? `\x1b[${ANSI[colour]}m${text}\x1b[39m` : text);
  const level = record.level ?? 'info';
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '';
  const fields = Object.entries(record)
    .filter(([key, value]) => !SHOWN_APART.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const parts = [
    paint('grey', time),
    paint(LEVEL_COLOURS[level] ?? 'grey', level.toUpperCase().padEnd(5)),
    record.context ? paint('yellow', `[${record.context}]`) : undefined,
    record.msg,
    fields.length > 0 ? paint('grey', fields.join(' ')) : undefined,
  ];
  const stack = stackOf(record);
  return parts.filter(Boolean).join(' ') + (stack ? `\n${paint('grey', stack)}` : '') + '\n';
}

function stackOf(record: LogRecord): string | undefined {
  const err = record.err as { stack?: unknown } | undefined;
  const stack = typeof err?.stack === 'string' ? err.stack : record.stack;
  return typeof stack === 'string' ? stack : undefined;
}
