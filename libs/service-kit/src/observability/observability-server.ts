import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { ConfigurationError } from '../config/settings';
import type { ReadinessReport } from './readiness';

export interface ObservabilityServerOptions {
  host: string;
  port: number;
  /** The process's metrics registry; undefined until the service has built it (answered 503 meanwhile). */
  registry: () => Registry | undefined;
  readiness: () => Promise<ReadinessReport>;
}

export interface ObservabilityServer {
  /** The port bound (the one asked for). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A service's HTTP port for Prometheus and orchestrators (LM_METRICS_PORT): GET /metrics (this
 * process's registry in the text format, the families it also answers the gateway over NATS),
 * GET /health/live (200 while the event loop runs: answering at all is the check) and GET
 * /health/ready (200 or 503 with the report of ServiceReadiness). Nothing else is served.
 */
export async function startObservabilityServer(options: ObservabilityServerOptions): Promise<ObservabilityServer> {
  const server = createServer((request, response) => {
    route(options, request, response).catch((error: unknown) => {
      // A registry collector that throws: the scrape fails visibly rather than showing partial data.
      if (!response.headersSent) send(response, 500, 'text/plain', `cannot collect: ${messageOf(error)}\n`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
          ? new ConfigurationError([
              `LM_METRICS_PORT=${options.port} cannot be bound on ${options.host} (${error.code}): choose another port or LM_METRICS_HOST`,
            ])
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: options.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Scrapers keep connections alive: closing waits for none of them.
        server.closeAllConnections();
      }),
  };
}

async function route(options: ObservabilityServerOptions, request: IncomingMessage, response: ServerResponse) {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const handler = ROUTES[path];
  if (!handler) return send(response, 404, 'text/plain', 'not found: GET /metrics, /health/live or /health/ready\n');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return send(response, 405, 'text/plain', 'method not allowed\n');
  }
  await handler(options, response);
}

const ROUTES: Record<string, (options: ObservabilityServerOptions, response: ServerResponse) => Promise<void> | void> =
  {
    '/metrics': async ({ registry }, response) => {
      const metrics = registry();
      if (!metrics) return send(response, 503, 'text/plain', 'starting: no metrics yet\n');
      send(response, 200, metrics.contentType, await metrics.metrics());
    },
    '/health/live': (_options, response) => send(response, 200, 'application/json', JSON.stringify({ status: 'live' })),
    '/health/ready': async ({ readiness }, response) => {
      const report = await readiness();
      send(response, report.ready ? 200 : 503, 'application/json', JSON.stringify(report));
    },
  };

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
