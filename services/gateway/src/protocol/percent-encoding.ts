const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * RFC 3986 percent-encoding of everything but the unreserved characters, over UTF-8 bytes.
 * Works byte by byte rather than with encodeURIComponent, which throws on lone surrogates:
 * request handling must turn any input into a verdict, never into an exception.
 */
export function uriEncode(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += byte < 0x80 && UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** Percent-decoding that leaves malformed input as it is instead of throwing. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
