/** Timestamp forms of the AWS protocols: epoch seconds, ISO-8601 date-time, and HTTP-date (rfc822). */
export type TimestampFormat = 'iso8601' | 'epoch-seconds' | 'rfc822';

const ISO_8601_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;

export function isIso8601DateTime(value: string): boolean {
  return ISO_8601_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * Reads a timestamp given as a Date, epoch seconds (number or numeric string, as in
 * query strings), an ISO-8601 date-time or an HTTP-date. Undefined when it is none of these.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value * 1000) : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(value)) return new Date(Number(value) * 1000);
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : new Date(millis);
}

export function formatTimestamp(date: Date, format: TimestampFormat): number | string {
  switch (format) {
    case 'epoch-seconds':
      return date.getTime() / 1000;
    case 'iso8601':
      return date.toISOString();
    case 'rfc822':
      return date.toUTCString();
  }
}
