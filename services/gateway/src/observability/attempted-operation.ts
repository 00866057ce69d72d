import { apiModels, apisBySigningName, type ApiModel } from '@lm/api-model';
import { guessApi, resolveOperation, splitUrl, type HttpRequest } from '../protocol';

export interface AttemptedOperation {
  api?: ApiModel;
  /** `unknown` when the request names no operation of the API. */
  operation: string;
}

/**
 * The operation a request tried, without trusting it: for a request refused before its
 * operation was resolved (failed authentication, a body over the size limit), so that it is
 * counted under that operation. The API comes from the credential scope's service when the
 * request is signed, else from the target or content type; the operation from the target,
 * the `Action` or the path. A request for the query protocol's `Action` in a body that was
 * not read stays `unknown`.
 */
export function attemptedOperation(request: HttpRequest): AttemptedOperation {
  const signingService = scopeService(request);
  const guessed = guessApi(request);
  const signedFor = signingService ? apisBySigningName(signingService) : [];
  // A scope naming a service not served here (refused as such) still tried the operation it names.
  const apis = signedFor.length > 0 ? signedFor : guessed ? [guessed] : [];
  if (apis.length === 0) return { api: guessed, operation: 'unknown' };
  try {
    const { api, operation } = resolveOperation(apis, request);
    return { api, operation };
  } catch {
    return { api: apis[0], operation: 'unknown' };
  }
}

/**
 * The API whose protocol a request refused before its API was known (authentication, the body's
 * size) is answered in: the one it tried, else License Manager's, the awsJson API of `POST /`.
 */
export function apiTriedBy(request: HttpRequest): ApiModel {
  return attemptedOperation(request).api ?? apiModels['license-manager'];
}

/** The service of the SigV4 credential scope (`<key>/<date>/<region>/<service>/aws4_request`), in the header or query. */
function scopeService(request: HttpRequest): string | undefined {
  const header = /Credential=[^/,\s]*\/[^/]*\/[^/]*\/([^/,\s]+)\/aws4_request/.exec(
    request.headers['authorization'] ?? '',
  );
  if (header) return header[1];
  const credential = new URLSearchParams(splitUrl(request.url)[1] ?? '').get('X-Amz-Credential');
  return credential?.split('/')[3];
}
