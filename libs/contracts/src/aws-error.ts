/**
 * An error a client is meant to see: `code` is the error shape name of the API model
 * (e.g. InvalidParameterValueException); the gateway gives it the model's HTTP status.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fields?: Record<string, unknown>,
  ) {
    super(message);
    this.name = code;
  }
}
