import { Injectable } from '@nestjs/common';

/** Why an account's discovery cannot be disabled now (a clause: lower-case, no final period); undefined when nothing holds it. */
export type DeactivationBlocker = (accountId: string) => Promise<string | undefined>;

/**
 * What must go before an account's Linux subscriptions discovery is disabled, each checked by the
 * slice that owns it: subscription providers adds "a Red Hat provider is registered" (the guide
 * deactivates RHSM discovery first). A slice adds its check in onModuleInit; UpdateServiceSettings
 * disabling discovery is then refused with ValidationException naming every reason.
 */
@Injectable()
export class DeactivationBlockers {
  private readonly blockers: DeactivationBlocker[] = [];

  add(blocker: DeactivationBlocker): void {
    this.blockers.push(blocker);
  }

  async of(accountId: string): Promise<string[]> {
    const reasons = await Promise.all(this.blockers.map((blocker) => blocker(accountId)));
    return reasons.filter((reason): reason is string => reason !== undefined);
  }
}
