import { createServer } from 'node:http';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { GatewayConfig } from '../config';

/**
 * How often Node looks for connections past their headers or request timeout (its default, 30 s,
 * would let a slow-loris connection live up to 30 s longer than LM_HEADERS_TIMEOUT_MS).
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/**
 * Nest's Express adapter on an HTTP server bounded against floods and slow clients: headers no
 * larger than LM_MAX_HEADER_BYTES (Node answers a bare 431 above, before any AWS API is known), a
 * client that takes longer than LM_HEADERS_TIMEOUT_MS to send its headers or LM_REQUEST_TIMEOUT_MS to
 * send its whole request is answered 408 and cut off, an idle kept-alive connection is closed after
 * LM_KEEP_ALIVE_TIMEOUT_MS, and at most LM_MAX_CONNECTIONS are open at once (Node closes any further
 * one at once). Nest makes the server itself, with none of these options, unless told as here.
 */
export class BoundedExpressAdapter extends ExpressAdapter {
  constructor(private readonly limits: GatewayConfig) {
    super();
  }

  override initHttpServer(): void {
    const server = createServer(
      {
        maxHeaderSize: this.limits.maxHeaderBytes,
        // Node refuses a headers timeout longer than the request's: the headers are part of the request.
        headersTimeout: Math.min(this.limits.headersTimeoutMs, this.limits.requestTimeoutMs),
        requestTimeout: this.limits.requestTimeoutMs,
        connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
      },
      this.getInstance(),
    );
    server.keepAliveTimeout = this.limits.keepAliveTimeoutMs;
    server.maxConnections = this.limits.maxConnections;
    this.httpServer = server;
  }
}
