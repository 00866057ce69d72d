import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { checkNats, ConfigurationError, startLogging, UnreachableDependencyError } from '@lm/service-kit';
import { gatewayConfigFromEnv, type GatewayConfig } from './config';
import { GatewayHttpServer } from './http/http-server';
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
  // Nest builds and stops the application (providers, their order of shutdown); the HTTP server is
  // one of its providers, Node's own server without a web framework (src/http/http-server.ts).
  const app = await NestFactory.createApplicationContext(GatewayModule);
  await app.get(GatewayHttpServer).listen(config.port);
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
