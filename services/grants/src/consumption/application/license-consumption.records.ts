import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { precompiled } from '@lm/event-store';
import { DATABASE } from '@lm/service-kit';
import type { Checkout, CheckoutKind } from '../domain/events';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { ConsumptionViews } from './license-consumption.views';

/** Who took a checkout, of which licence, and how: what never changes about it. */
export interface ConsumptionRecord {
  consumptionToken: string;
  licenseArn: string;
  accountId: string;
  beneficiary?: string;
  kind: CheckoutKind;
}

const MAX_REMEMBERED = 10_000;

/** A checkout's record by its token: what a check-in or extension of another process's lease reads, compiled once. */
const readRecord = precompiled((db: Kysely<ConsumptionViews>, p: { consumptionToken: string }) =>
  db
    .withSchema(GRANTS_SCHEMA)
    .selectFrom('license_consumptions')
    .select(['consumption_token', 'license_arn', 'account_id', 'beneficiary', 'checkout_type'])
    .where('consumption_token', '=', p.consumptionToken),
);

/**
 * Checkouts by consumption token, for CheckInLicense and ExtendLicenseConsumption: from the
 * license_consumptions view, or from memory for the checkouts this process made lately (their
 * record never changes; whether the lease is still open is decided on the usage stream).
 */
@Injectable()
export class ConsumptionRecords {
  private readonly recent = new Map<string, ConsumptionRecord>();

  constructor(@Inject(DATABASE) private readonly db: Kysely<ConsumptionViews>) {}

  remember(checkout: Checkout): void {
    const { consumptionToken, licenseArn, accountId, beneficiary, kind } = checkout;
    this.recent.set(consumptionToken, { consumptionToken, licenseArn, accountId, beneficiary, kind });
    if (this.recent.size > MAX_REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
  }

  async find(consumptionToken: string): Promise<ConsumptionRecord | undefined> {
    const remembered = this.recent.get(consumptionToken);
    if (remembered) return remembered;
    const {
      rows: [row],
    } = await readRecord(this.db, { consumptionToken });
    return (
      row && {
        consumptionToken: row.consumption_token,
        licenseArn: row.license_arn,
        accountId: row.account_id,
        beneficiary: row.beneficiary ?? undefined,
        kind: row.checkout_type as CheckoutKind,
      }
    );
  }
}
