import type { ServiceName } from './operation-owners';

/**
 * What a replica answers on its health subject: its database answers, and the operations it has a
 * handler for. The gateway tells from it "not implemented in this build" (501) from "not running".
 */
export interface ServiceHealth {
  service: ServiceName;
  status: 'ok';
  operations: string[];
}
