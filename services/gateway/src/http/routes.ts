import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { ConsoleRequest } from './console-files';
import { isRoute, pathOf, pathUnder } from './route-path';
import { writeJson } from './write-response';

/** What answers each of the gateway's routes. */
export interface GatewayRoutes {
  health(res: ServerResponse): Promise<void>;
  metrics(res: ServerResponse): Promise<void>;
  /** GET and HEAD under /console (any other method there is an API call). */
  console: ConsoleRequest;
  /** Every other request. */
  awsApi(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const logger = new Logger('gateway');

/**
 * The gateway's HTTP request listener: the three fixed routes, then the AWS APIs, which take
 * every other method and path (their protocols, not a router, tell the operation). A failure no
 * route answered itself (none expected: the AWS API answers every error in its protocol) is
 * logged and answered 500.
 */
export function gatewayRequestListener(routes: GatewayRoutes): RequestListener {
  return (req, res) => {
    route(routes, req, res).catch((error: unknown) => {
      logger.error({ msg: `unexpected failure: ${(error as Error)?.message ?? String(error)}`, err: error });
      if (res.headersSent) res.destroy();
      else writeJson(res, 500, { statusCode: 500, message: 'Internal server error' });
    });
  };
}

function route(routes: GatewayRoutes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const path = pathOf(req.url!);
    if (isRoute(path, '/health')) return routes.health(res);
    if (isRoute(path, '/metrics')) return routes.metrics(res);
    const underConsole = pathUnder(path, '/console');
    if (underConsole !== undefined) return routes.console(req, res, underConsole);
  }
  return routes.awsApi(req, res);
}
