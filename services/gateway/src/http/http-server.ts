import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { AwsApiEndpoint } from './aws-api.endpoint';
import { CONSOLE_DIRECTORY, consoleFiles } from './console-files';
import { HealthAndMetricsEndpoints } from './health-and-metrics.endpoints';
import { gatewayRequestListener } from './routes';

/**
 * How often Node looks for connections past their headers or request timeout (its default, 30 s,
 * would let a slow-loris connection live up to 30 s longer than LM_HEADERS_TIMEOUT_MS).
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

/**
 * The gateway's HTTP server: Node's own, its requests straight to the gateway's routes (no web
 * framework between the socket and the AWS API: its routing and response helpers were a tenth
 * of the gateway's CPU). Bounded against floods and slow clients: headers no larger than
 * LM_MAX_HEADER_BYTES (Node answers a bare 431 above, before any AWS API is known), a client that
 * takes longer than LM_HEADERS_TIMEOUT_MS to send its headers or LM_REQUEST_TIMEOUT_MS to send its
 * whole request is answered 408 and cut off, an idle kept-alive connection is closed after
 * LM_KEEP_ALIVE_TIMEOUT_MS, and at most LM_MAX_CONNECTIONS are open at once (Node closes any
 * further one at once).
 */
@Injectable()
export class GatewayHttpServer implements BeforeApplicationShutdown {
  private readonly server: Server;
  /** The answers being made: once the gateway stops, each closes its connection when sent. */
  private readonly answering = new Set<ServerResponse>();
  private stopping = false;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    awsApi: AwsApiEndpoint,
    endpoints: HealthAndMetricsEndpoints,
  ) {
    this.server = createServer(
      {
        maxHeaderSize: config.maxHeaderBytes,
        // Node refuses a headers timeout longer than the request's: the headers are part of the request.
        headersTimeout: Math.min(config.headersTimeoutMs, config.requestTimeoutMs),
        requestTimeout: config.requestTimeoutMs,
        connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
      },
      this.tracked(
        gatewayRequestListener({
          health: (res) => endpoints.serveHealth(res),
          metrics: (res) => endpoints.serveMetrics(res),
          console: consoleFiles({ directory: CONSOLE_DIRECTORY, region: config.region }),
          awsApi: (req, res) => awsApi.serve(req, res),
        }),
      ),
    );
    this.server.keepAliveTimeout = config.keepAliveTimeoutMs;
    this.server.maxConnections = config.maxConnections;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /**
   * First of the gateway's shutdown (before NATS drains, in GatewayModule's onApplicationShutdown):
   * no new connection is accepted, idle kept-alive ones are closed, the requests in flight are
   * answered, each with `Connection: close`, and it resolves once their connections are closed.
   * Without that, a connection whose request was in flight would be kept alive once answered, and
   * hold the server's close open until its client closed it or it idled out
   * (LM_KEEP_ALIVE_TIMEOUT_MS, a minute).
   */
  beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const res of this.answering) if (!res.headersSent) res.shouldKeepAlive = false;
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The listener, with each answer tracked while it is made (see beforeApplicationShutdown). */
  private tracked(listener: RequestListener): RequestListener {
    return (req, res) => {
      if (this.stopping) res.shouldKeepAlive = false;
      this.answering.add(res);
      res.once('close', () => {
        this.answering.delete(res);
        // An answer sent before the stop leaves its connection idle: close it now rather than at its timeout.
        if (this.stopping) this.server.closeIdleConnections();
      });
      listener(req, res);
    };
  }
}
