import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { HttpResponse } from '../protocol';

/**
 * Writes a whole response in one go: its headers (names as given), a text body declared UTF-8
 * (`Content-Type: <type>; charset=utf-8` unless it names its charset, as clients have always read
 * it) and its Content-Length.
 * The body of an answer to HEAD is left out by Node itself; its headers are those of the GET.
 */
export function writeResponse(res: ServerResponse, response: HttpResponse): void {
  const { body } = response;
  const text = typeof body === 'string';
  const headers: OutgoingHttpHeaders = {};
  for (const name in response.headers) {
    const value = response.headers[name];
    if (text && name.toLowerCase() === 'content-type')
      headers['Content-Type'] = value.includes('charset=') ? value : `${value}; charset=utf-8`;
    else headers[name] = value;
  }
  headers['Content-Length'] = text ? Buffer.byteLength(body) : body.length;
  res.writeHead(response.status, headers);
  res.end(body);
}

/** A JSON document answered as its text, UTF-8. */
export function writeJson(res: ServerResponse, status: number, document: unknown, headers = {}): void {
  writeResponse(res, {
    status,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(document),
  });
}
