/**
 * The SigV4 canonical request, built from a request exactly as it was received, the way
 * AWS builds it for every service but S3.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { safeDecode, uriEncode } from '../percent-encoding';

/**
 * The canonical URI of a non-S3 request: dot segments and empty segments removed, then each
 * segment of the path *as sent* encoded once more. Signers (botocore, @smithy/signature-v4)
 * sign the already-encoded path they send and encode it again, so `/tags/arn%3Aaws%3A...`
 * becomes `/tags/arn%253Aaws%253A...`, while a path sent with a literal `:` canonicalizes to
 * `%3A`. Encoding the raw segments reproduces both.
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  if (segments.length === 0) return '/';
  const trailingSlash = rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailingSlash}`;
}

/** Splits a raw query string into decoded [key, value] pairs, in order, repeats kept. */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([safeDecode(key), safeDecode(value)]);
  }
  return pairs;
}

/**
 * Parameters re-encoded per RFC 3986 and sorted by encoded key, then by value. Decoding
 * first makes the result independent of how the client chose to encode the query (`%3a`,
 * `%3A` or a bare `:`), since signers canonicalize from the decoded values.
 */
export function canonicalQuery(pairs: Array<[string, string]>): string {
  return pairs
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([keyA, valueA], [keyB, valueB]) => compare(keyA, keyB) || compare(valueA, valueB))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** Code-unit order, which is byte order for the ASCII-only encoded strings being compared. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `name:value\n` lines for the signed headers, values trimmed with inner whitespace collapsed. */
export function canonicalHeaders(signedHeaders: string[], headers: Record<string, string | undefined>): string {
  return signedHeaders.map((name) => `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
}

export interface CanonicalRequestParts {
  method: string;
  rawPath: string;
  query: Array<[string, string]>;
  headers: Record<string, string | undefined>;
  signedHeaders: string[];
  payloadHash: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method.toUpperCase(),
    canonicalUri(parts.rawPath),
    canonicalQuery(parts.query),
    canonicalHeaders(parts.signedHeaders, parts.headers),
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}
