import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { checkNats, ConfigurationError, UnreachableDependencyError } from '@lm/service-kit';
import { gatewayConfigFromEnv, type GatewayConfig } from './config';
import { GatewayModule } from './gateway.module';

async function main(): Promise<void> {
  const logger = new Logger('gateway');
  let config: GatewayConfig;
  try {
    config = gatewayConfigFromEnv();
  } catch (error) {
    // A bad setting stops start-up, naming the variable, rather than serving half-configured.
    if (!(error instanceof ConfigurationError)) throw error;
    logger.error(`cannot start: ${error.message}`);
    process.exit(1);
  }
  try {
    // The gateway only sends requests: NATS must answer, JetStream is the services' concern.
    await checkNats({ service: 'gateway', timeoutMs: config.startupTimeoutMs }, config.natsServers, {
      jetStream: false,
    });
  } catch (error) {
    if (!(error instanceof UnreachableDependencyError)) throw error;
    // What to start or set, alone on its line: a stack trace would bury it.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  // The body parser stays off: SigV4 signs the raw bytes, which the controller reads itself.
  const app = await NestFactory.create(GatewayModule, { bodyParser: false, logger: ['error', 'warn', 'log'] });
  // Responses are per request and signed-for: no ETag hashing of every body, no framework banner.
  const express = app.getHttpAdapter().getInstance();
  express.set('etag', false);
  express.disable('x-powered-by');
  app.enableShutdownHooks();
  await app.listen(config.port);
  // Clients keep connections open between calls (the SDKs pool them): the server must not close
  // an idle one just as a client reuses it, so it keeps them longer than clients' usual idle time.
  const server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  logger.log(`listening on port ${config.port} (region ${config.region})`);
}

void main();
