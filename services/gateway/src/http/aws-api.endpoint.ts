import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { AUDIT_RECORDER, type AuditRecorder } from '../observability/audit-trail';
import { GatewayMetrics } from '../observability/metrics';
import { logRequest } from '../observability/request-log';
import { apiTriedBy } from '../observability/attempted-operation';
import {
  errorResponse,
  GatewayError,
  throttled,
  THROTTLED_STATUS,
  wireProtocolOf,
  type HttpRequest,
  type HttpResponse,
} from '../protocol';
import { AwsRequestHandler } from './aws-request.handler';
import { InFlightLimit } from './in-flight-limit';
import { writeResponse } from './write-response';

/**
 * Every request the gateway has no fixed route for, as an AWS API call: admitted (in-flight
 * bound, URL length), its body read raw, answered by the protocol-level handler.
 */
@Injectable()
export class AwsApiEndpoint {
  constructor(
    private readonly handler: AwsRequestHandler,
    private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(AUDIT_RECORDER) private readonly audit: AuditRecorder,
    private readonly inFlight: InFlightLimit,
  ) {}

  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const eventTime = new Date();
    let response: HttpResponse;
    const admitted = this.inFlight.tryEnter();
    try {
      // Refused before the body is read: neither a flood nor a long URL costs more than its headers.
      if (!admitted) throw throttled(apiTriedBy(unreadRequest(req)), 'Rate exceeded: the gateway is at its capacity.');
      if (Buffer.byteLength(req.url!) > this.config.maxUrlBytes) throw uriTooLong(this.config.maxUrlBytes);
      const body = await readBody(req, this.config.maxBodyBytes);
      response = await this.handler.handle({
        method: req.method!,
        url: req.url!,
        headers: flattenHeaders(req.headers),
        body,
        sourceIp: req.socket.remoteAddress,
      });
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      const requestId = randomUUID();
      // A request refused before its body is read: counted under the operation its target names, when it names one.
      const unread = unreadRequest(req);
      const api = apiTriedBy(unread);
      response = errorResponse(api, error, requestId, wireProtocolOf(api, unread));
      this.metrics.recordResponse(
        unread,
        { operation: 'unknown', status: response.status, errorCode: error.code },
        started,
      );
      if (response.status !== THROTTLED_STATUS) {
        logRequest(unread, {
          requestId,
          operation: 'unknown',
          status: response.status,
          errorCode: error.code,
          started,
        });
        this.audit.record(unread, {
          requestId,
          operation: 'unknown',
          errorCode: error.code,
          errorMessage: error.message,
          eventTime,
          region: this.config.region,
        });
      }
      req.resume();
    } finally {
      if (admitted) this.inFlight.leave();
    }
    writeResponse(res, response);
  }
}

/** A request as the handler sees it, without its body (not read). */
function unreadRequest(req: IncomingMessage): HttpRequest {
  return {
    method: req.method!,
    url: req.url!,
    headers: flattenHeaders(req.headers),
    body: Buffer.alloc(0),
    sourceIp: req.socket.remoteAddress,
  };
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return flat;
}

/** The raw body (SigV4 signs its bytes), refused past the size limit without buffering the rest. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('RequestEntityTooLargeException', 413, `The request body is larger than ${limit} bytes.`);
}

function uriTooLong(limit: number): GatewayError {
  return new GatewayError('RequestUriTooLongException', 414, `The request URL is longer than ${limit} bytes.`);
}
