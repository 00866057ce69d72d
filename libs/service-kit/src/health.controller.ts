import { Controller, Inject, type Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { ServiceHealth, ServiceName } from '@lm/contracts';
import { healthSubject } from '@lm/messaging';
import { sql, type Kysely } from 'kysely';
import { DATABASE } from './tokens';

/**
 * A controller that answers the gateway's health checks for a service (every replica, in the
 * service's queue group): it answers only when the service's database answers too, and lists
 * the operations the service has handlers for, so that the gateway can tell "not implemented
 * in this build" (501) from "not running".
 */
export function serviceHealthController(service: ServiceName, operations: readonly string[]): Type<unknown> {
  @Controller()
  class HealthController {
    constructor(@Inject(DATABASE) private readonly db: Kysely<unknown>) {}

    @MessagePattern(healthSubject(service))
    async health(): Promise<ServiceHealth> {
      await sql`select 1`.execute(this.db);
      return { service, status: 'ok', operations: [...operations] };
    }
  }
  return HealthController;
}
