/** An AWS error as the gateway answered it: its code (the error shape's name), message and HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * The gateway answers 501 NotImplementedException for an operation whose service is not part of this
   * deployment (or not implemented by it yet): a page says so instead of showing an error.
   */
  get notInDeployment(): boolean {
    return this.status === 501;
  }
}

/**
 * The error an AWS JSON response carries: `__type` (namespace-qualified as `ns#Code` in the License
 * Manager APIs, or in X-Amzn-ErrorType for restJson) and a `Message` or `message` member.
 */
export function errorFromResponse(status: number, headers: Headers, text: string): ApiError {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page, an empty body): the status alone tells what happened.
  }
  const type = String(body.__type ?? headers.get('x-amzn-errortype') ?? `HTTP ${status}`);
  const code = type.split('#').pop()!.split(':')[0];
  const message = String(body.Message ?? body.message ?? (text.trim() || `The server answered HTTP ${status}.`));
  return new ApiError(code, message, status);
}

/** A readable sentence for anything a call threw: an API error, or the network failing. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError)
    return error.message.includes(error.code) ? error.message : `${error.message} (${error.code})`;
  if (error instanceof TypeError) return `The gateway could not be reached: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
