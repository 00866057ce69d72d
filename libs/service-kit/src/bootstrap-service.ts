import { Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { DEFAULT_NATS_URL } from './config/common-config';
import { OperationExceptionFilter } from './operation-exception.filter';

/**
 * @deprecated grants uses it until it moves onto defineService/runService; then it goes.
 * Starts a service as a NestJS NATS microservice. Every replica joins the queue group named
 * after the service, so NATS gives each request to exactly one of them.
 */
export async function bootstrapService(service: string, module: Type<unknown>): Promise<void> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    transport: Transport.NATS,
    options: {
      servers: (process.env.NATS_URL ?? DEFAULT_NATS_URL).split(','),
      queue: service,
      name: service,
      // Async stack traces cost two Error objects per request; errors here are logged without them.
      noAsyncTraces: true,
    },
    logger: ['error', 'warn', 'log'],
  });
  app.useGlobalFilters(new OperationExceptionFilter());
  app.enableShutdownHooks();
  await app.listen();
  new Logger(service).log('ready');
}
