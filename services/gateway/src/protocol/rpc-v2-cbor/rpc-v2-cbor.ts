import type { ApiModel } from '@lm/api-model';
import { CborError, decodeCbor, encodeCbor } from './cbor';
import { toJsonDocument, type DocumentScalars } from '../json-document';

/**
 * Smithy RPC v2 CBOR (what the current AWS CLI, boto3 and JS SDK send to CloudWatch):
 * `POST /service/<service shape>/operation/<Op>` with `smithy-protocol: rpc-v2-cbor` and a CBOR
 * map body; answers are CBOR maps with the same header, errors a map with `__type`.
 */
export const RPC_V2_CBOR_HEADER = 'rpc-v2-cbor';
const OPERATION_PATH = /^\/service\/([^/]+)\/operation\/([^/]+)$/;

export class CborRequestError extends Error {
  constructor(
    readonly code: 'SerializationException' | 'UnknownOperationException',
    message: string,
  ) {
    super(message);
  }
}

export function isRpcV2CborRequest(headers: Record<string, string>): boolean {
  return headers['smithy-protocol'] === RPC_V2_CBOR_HEADER;
}

/** The operation a path names, when the path names this API's service shape (its target prefix) and one of its operations. */
export function cborOperationOf(api: ApiModel, method: string, path: string): string {
  const match = OPERATION_PATH.exec(path);
  const operation = match?.[2];
  if (method !== 'POST' || !match || match[1] !== api.metadata.targetPrefix || !operation || !api.operations[operation])
    throw new CborRequestError('UnknownOperationException', `Unknown operation ${method} ${path}.`);
  return operation;
}

/**
 * The input as the JSON protocols hand it on: timestamps (tag 1) as epoch seconds, byte strings
 * as base64, null members left out. An empty body is an empty input.
 */
export function decodeCborInput(body: Uint8Array): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = decodeCbor(body);
  } catch (error) {
    if (error instanceof CborError)
      throw new CborRequestError('SerializationException', `The request body is not valid CBOR: ${error.message}`);
    throw error;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array)
    throw new CborRequestError('SerializationException', 'The request body must be a CBOR map.');
  return asJsonValue(value) as Record<string, unknown>;
}

function asJsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(asJsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== null)
        Object.defineProperty(out, key, {
          value: asJsonValue(item),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }
  return value;
}

const CBOR_SCALARS: DocumentScalars = {
  timestamp: (date) => date,
  blob: (bytes) => (typeof bytes === 'string' ? Buffer.from(bytes, 'base64') : bytes),
};

/** An output shape's document as a CBOR body (tag 1 timestamps, byte-string blobs). */
export function encodeCborOutput(api: ApiModel, outputShape: string | undefined, output: unknown): Buffer {
  return Buffer.from(encodeCbor(outputShape ? toJsonDocument(api, outputShape, output, CBOR_SCALARS) : {}));
}

/** An error body: `__type` the error's shape id, and its message. */
export function encodeCborError(type: string, message: string, fields: Record<string, unknown>): Buffer {
  return Buffer.from(encodeCbor({ __type: type, message, ...fields }));
}
