import { Controller, Inject, type Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { healthSubject } from '@lm/messaging';
import { sql, type Kysely } from 'kysely';

/**
 * A controller that answers the gateway's health checks for a service: it answers only when
 * the service's database answers too.
 */
export function createHealthController(service: string, databaseToken: symbol): Type<unknown> {
  @Controller()
  class HealthController {
    constructor(@Inject(databaseToken) private readonly db: Kysely<unknown>) {}

    @MessagePattern(healthSubject(service))
    async health(): Promise<{ service: string; status: 'ok' }> {
      await sql`select 1`.execute(this.db);
      return { service, status: 'ok' };
    }
  }
  return HealthController;
}
