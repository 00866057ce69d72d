import { errorFromResponse } from './api-error';
import type { Credentials, Endpoint } from './credentials';
import { signRequest } from './sign-request';

/** How a client sends a signed request: fetch, or a test's stand-in for it. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * A JSON POST to the gateway, signed with SigV4 for `service`, as every API the console calls takes it
 * (awsJson1_1 at `/`, restJson at the operation's path). The answer's JSON, or its error as an ApiError.
 */
export async function signedJsonPost(
  request: { service: string; path: string; headers: Record<string, string>; body: string },
  credentials: Credentials,
  endpoint: Endpoint,
  fetchFn: Fetch,
): Promise<unknown> {
  const signed = await signRequest({ ...request, method: 'POST' }, credentials, endpoint);
  // No cookies either way: the signature is the only credential, and nothing is cached.
  const response = await fetchFn(signed.url, {
    method: signed.method,
    headers: signed.headers,
    body: signed.body,
    credentials: 'omit',
    cache: 'no-store',
  });
  const text = await response.text();
  if (!response.ok) throw errorFromResponse(response.status, response.headers, text);
  return text ? JSON.parse(text) : {};
}
