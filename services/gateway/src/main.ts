import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { checkNats, ConfigurationError, startLogging, UnreachableDependencyError } from '@lm/service-kit';
import { gatewayConfigFromEnv, type GatewayConfig } from './config';
import { CONSOLE_DIRECTORY, consoleFiles } from './http/console-files';
import { BoundedExpressAdapter } from './http/http-server';
import { GatewayModule } from './gateway.module';

async function main(): Promise<void> {
  const logger = new Logger('gateway');
  let config: GatewayConfig;
  try {
    // First: every line after this one, Nest's included, goes through the process's logger.
    startLogging('gateway');
    config = gatewayConfigFromEnv();
  } catch (error) {
    // A bad setting stops start-up, naming the variable, rather than serving half-configured.
    if (!(error instanceof ConfigurationError)) throw error;
    logger.fatal(`cannot start: ${error.message}`);
    process.exit(1);
  }
  try {
    // The gateway only sends requests: NATS must answer, JetStream is the services' concern.
    await checkNats({ service: 'gateway', timeoutMs: config.startupTimeoutMs }, config.natsServers, {
      jetStream: false,
    });
  } catch (error) {
    if (!(error instanceof UnreachableDependencyError)) throw error;
    // What to start or set, alone in its message: a stack trace would bury it.
    logger.fatal(error.message);
    process.exit(1);
  }
  // The body parser stays off: SigV4 signs the raw bytes, which the controller reads itself.
  const app = await NestFactory.create(GatewayModule, new BoundedExpressAdapter(config), { bodyParser: false });
  // Responses are per request and signed-for: no ETag hashing of every body, no framework banner.
  const express = app.getHttpAdapter().getInstance();
  express.set('etag', false);
  express.disable('x-powered-by');
  // Before the routes (registered at listen): the AWS API's catch-all would take /console too.
  app.use('/console', consoleFiles({ directory: CONSOLE_DIRECTORY, region: config.region }));
  await app.listen(config.port);
  logger.log(`listening on port ${config.port} (region ${config.region})`);
  const stop = (signal: NodeJS.Signals) => {
    logger.log(`${signal}: stopping`);
    // close() stops accepting connections, lets requests in flight finish, then drains NATS.
    app.close().then(
      () => {
        logger.log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ msg: `shutdown failed: ${error instanceof Error ? error.message : String(error)}`, err: error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
