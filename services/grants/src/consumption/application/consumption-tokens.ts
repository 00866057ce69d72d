import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MasterKey } from '@lm/service-kit';

const PURPOSE = 'consumption-token';
const HEX_32 = /^[0-9a-f]{32}$/;

/**
 * A LicenseConsumptionToken is a bearer credential: whoever holds it (with the account) checks the
 * licence in or extends it. So grants never keeps it: its events and views name a lease by an id of
 * 16 hex digits (the domain's `consumptionToken`), and the token a client holds is that id followed
 * by 16 hex digits of its HMAC under the master key: 32 hex digits, as AWS's. A retried checkout
 * answers the same token (made again from the id); what is stored does not give it.
 */
@Injectable()
export class ConsumptionTokens {
  private readonly key: Buffer;

  constructor(masterKey: MasterKey) {
    this.key = masterKey.derive(PURPOSE);
  }

  /** The id a new lease is recorded under. */
  newLeaseId(): string {
    return randomBytes(8).toString('hex');
  }

  /** The token a client holds for the lease. */
  tokenOf(leaseId: string): string {
    return leaseId + this.mac(leaseId);
  }

  /** The lease a token names, or undefined for a token grants did not make. */
  leaseIdOf(token: string): string | undefined {
    if (!HEX_32.test(token)) return undefined;
    const leaseId = token.slice(0, 16);
    return timingSafeEqual(Buffer.from(this.mac(leaseId)), Buffer.from(token.slice(16))) ? leaseId : undefined;
  }

  private mac(leaseId: string): string {
    return createHmac('sha256', this.key).update(leaseId).digest('hex').slice(0, 16);
  }
}
