import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { CLOCK, type Clock } from '@lm/service-kit';
import { AwsError, invalidParameterValue } from '@lm/contracts';
import { decideCheckIn, decideCheckout, decideExtend, type CheckoutRequest } from '../domain/decide';
import { consumptionNotFound, noEntitlementsAllowed } from '../domain/errors';
import type { Checkout } from '../domain/events';
import type { LicenseTerms } from '../domain/license-terms';
import { ConsumptionTokens } from './consumption-tokens';
import { ConsumableLicenses, type ConsumableLicense } from './license-consumption.licenses';
import type { AccessibleLicense } from '../../grants/application/license-access';
import { ConsumptionRecords, type ConsumptionRecord } from './license-consumption.records';
import { tokenPayload } from './license-consumption.signed-token';
import { LicenseUsageStreams } from './license-usage-streams';
import { SigningKeys } from '../../signing-keys/application/signing-keys';

/** What both checkouts answer. */
interface Answer {
  checkout: Checkout;
  /** The LicenseConsumptionToken of the checkout's lease (as signed into signedToken). */
  token: string;
  signedToken: string;
}

/**
 * CheckoutLicense, CheckoutBorrowLicense, CheckInLicense and ExtendLicenseConsumption. Who may
 * consume which licence is LicenseAccess's to say (licence and grant status, GrantedOperations);
 * how much is decided on the licence's usage stream; the token is signed with the licence's
 * issuer key while the checkout is being recorded, and answered once it is.
 */
@Injectable()
export class LicenseConsumptionCommands {
  constructor(
    private readonly licenses: ConsumableLicenses,
    private readonly usage: LicenseUsageStreams,
    private readonly records: ConsumptionRecords,
    private readonly signing: SigningKeys,
    private readonly tokens: ConsumptionTokens,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Checks out from the first licence of the product (SKU and issuer key fingerprint) that the
   * caller may use and that has the entitlements. The issuer checks out only on behalf of a
   * Beneficiary, from its licences issued to that beneficiary; a Beneficiary restricts the
   * search to the caller's own licences, as in AWS (a grantee naming one is told so).
   */
  async checkout(
    caller: Caller,
    input: LicenseManager.CheckoutLicenseRequest,
  ): Promise<LicenseManager.CheckoutLicenseResponse> {
    const beneficiary = input.Beneficiary;
    const found = await this.licenses.usable(caller, 'CheckoutLicense', {
      productSku: input.ProductSKU,
      keyFingerprint: input.KeyFingerprint,
      ...(beneficiary === undefined ? {} : { beneficiary }),
    });
    const candidates = found.filter(({ accessible }) =>
      beneficiary === undefined
        ? accessible.route.kind !== 'issuer'
        : accessible.route.kind === 'issuer' && accessible.license.Beneficiary === beneficiary,
    );
    if (candidates.length === 0) {
      if (beneficiary === undefined && found.length > 0) {
        throw invalidParameterValue(
          'The account that created the license checks it out on behalf of a customer: Beneficiary is required.',
        );
      }
      // The guide: with a Beneficiary, "License Manager limits the call to the repository of licenses
      // created in the SaaS ISV account", so a grantee naming one finds none of its granted licences.
      const granted = found.find(({ accessible }) => accessible.route.kind === 'grant');
      if (granted) {
        throw invalidParameterValue(
          `Beneficiary limits a checkout to the licenses account ${caller.accountId} created (an issuer checking out on behalf of a customer); license ${granted.accessible.license.LicenseArn} was granted to it: check it out without Beneficiary.`,
        );
      }
      throw noEntitlementsAllowed(
        `No license of product SKU ${input.ProductSKU} with key fingerprint ${input.KeyFingerprint} is available to account ${caller.accountId}.`,
      );
    }
    const request: CheckoutRequest = {
      kind: input.CheckoutType,
      accountId: caller.accountId,
      beneficiary,
      nodeId: input.NodeId,
      clientToken: input.ClientToken,
      entitlements: input.Entitlements,
    };
    const { checkout, token, signedToken } = await this.checkOutFirst(candidates, request);
    return {
      CheckoutType: input.CheckoutType,
      LicenseConsumptionToken: token,
      EntitlementsAllowed: checkout.entitlementsAllowed,
      SignedToken: signedToken,
      NodeId: checkout.nodeId,
      IssuedAt: checkout.issuedAt,
      Expiration: checkout.expiration,
      LicenseArn: checkout.licenseArn,
    };
  }

  /** Borrows entitlements of one licence for offline use (all or none), with a PS384 token. */
  async borrow(
    caller: Caller,
    input: LicenseManager.CheckoutBorrowLicenseRequest,
  ): Promise<LicenseManager.CheckoutBorrowLicenseResponse> {
    // What the gateway has not refused already, when it came straight from NATS.
    if ((input.DigitalSignatureMethod as string) !== 'JWT_PS384') {
      throw new AwsError(
        'UnsupportedDigitalSignatureMethodException',
        `Digital signature method ${input.DigitalSignatureMethod} is not supported: use JWT_PS384.`,
      );
    }
    const [license] = await this.licenses.usable(caller, 'CheckoutBorrowLicense', { licenseArn: input.LicenseArn });
    if (!license)
      throw noEntitlementsAllowed(
        `License ${input.LicenseArn} is not available to account ${caller.accountId} for borrowing.`,
      );
    const { checkout, token, signedToken } = await this.checkOutFirst([license], {
      kind: 'BORROW',
      accountId: caller.accountId,
      nodeId: input.NodeId,
      clientToken: input.ClientToken,
      entitlements: input.Entitlements,
      checkoutMetadata: input.CheckoutMetadata,
    });
    return {
      LicenseArn: checkout.licenseArn,
      LicenseConsumptionToken: token,
      EntitlementsAllowed: checkout.entitlementsAllowed,
      NodeId: checkout.nodeId,
      SignedToken: signedToken,
      IssuedAt: checkout.issuedAt,
      Expiration: checkout.expiration,
      CheckoutMetadata: checkout.checkoutMetadata,
    };
  }

  /** Ends a lease before its expiration, giving its units back (see decideCheckIn for when a lease may be). */
  async checkIn(
    caller: Caller,
    input: LicenseManager.CheckInLicenseRequest,
  ): Promise<LicenseManager.CheckInLicenseResponse> {
    const lease = await this.leaseOf(caller, input.LicenseConsumptionToken, input.Beneficiary);
    const terms = await this.termsFor(caller, lease, 'CheckInLicense');
    await this.usage.decide(lease.licenseArn, (state) => ({
      events: decideCheckIn({ consumptionToken: lease.consumptionToken, terms, now: this.clock.now() }, state),
      outcome: undefined,
    }));
    return {};
  }

  /**
   * Runs an open lease for the licence's time to live again from now. With DryRun, only whether
   * the caller may is checked: the answer is the lease's expiration unchanged.
   */
  async extend(
    caller: Caller,
    input: LicenseManager.ExtendLicenseConsumptionRequest,
  ): Promise<LicenseManager.ExtendLicenseConsumptionResponse> {
    const lease = await this.leaseOf(caller, input.LicenseConsumptionToken);
    const terms = await this.termsFor(caller, lease, 'ExtendConsumptionLicense');
    const { expiration } = await this.usage.decide(lease.licenseArn, (state) =>
      decideExtend(
        { consumptionToken: lease.consumptionToken, terms, now: this.clock.now(), dryRun: input.DryRun ?? false },
        state,
      ),
    );
    return { LicenseConsumptionToken: this.tokens.tokenOf(lease.consumptionToken), Expiration: expiration };
  }

  /**
   * Tries the licences in turn: one with no room left passes the checkout on to the next. The
   * token is signed (on the thread pool) while the decision is being appended; a decision thrown
   * away by a conflict leaves its signature unused.
   */
  private async checkOutFirst(candidates: ConsumableLicense[], request: CheckoutRequest): Promise<Answer> {
    let refusal: unknown;
    for (const { accessible, terms } of candidates) {
      let signing: Promise<string> | undefined;
      let token = '';
      try {
        const { route } = accessible;
        await this.assertCanSign(accessible.license);
        const routed = route.kind === 'grant' ? { ...request, rootBuyerAccountId: route.rootBuyerAccountId } : request;
        const checkout = await this.usage.decide(terms.licenseArn, (state) => {
          const decision = decideCheckout(
            { request: routed, terms, consumptionToken: this.tokens.newLeaseId(), now: this.clock.now() },
            state,
          );
          token = this.tokens.tokenOf(decision.outcome.consumptionToken);
          signing = this.signing.signToken(
            accessible.license.Issuer?.SignKey ?? '',
            tokenPayload(decision.outcome, token),
          );
          signing.catch(() => undefined);
          return decision;
        });
        this.records.remember(checkout);
        return { checkout, token, signedToken: await signing! };
      } catch (error) {
        if (!(error instanceof AwsError && error.code === 'NoEntitlementsAllowedException')) throw error;
        refusal = error;
      }
    }
    throw refusal;
  }

  /**
   * A licence whose key cannot sign (pending deletion, say) cannot be checked out: refused before
   * the checkout is recorded, with the error the checkout operations' model has for it. A key that
   * turns unable to sign between this check and the signature (another replica's deletion, seen
   * within STATE_TTL_MS) fails the checkout after it took its seat, until the lease ends.
   */
  private async assertCanSign(license: AccessibleLicense['license']): Promise<void> {
    const keyArn = license.Issuer?.SignKey ?? '';
    try {
      await this.signing.assertCanSign(keyArn);
    } catch (error) {
      if (!(error instanceof AwsError && error.code === 'FailedDependencyException')) throw error;
      throw new AwsError(
        'ValidationException',
        `License ${license.LicenseArn} cannot be checked out: ${error.message}`,
      );
    }
  }

  /**
   * The lease a consumption token names, if the caller holds it: the account that checked it out
   * (the issuer, for a checkout on behalf of a beneficiary, who may name that Beneficiary again).
   * Another caller is told it does not exist.
   */
  private async leaseOf(caller: Caller, consumptionToken: string, beneficiary?: string): Promise<ConsumptionRecord> {
    const leaseId = this.tokens.leaseIdOf(consumptionToken);
    const record = leaseId === undefined ? undefined : await this.records.find(leaseId);
    if (
      !record ||
      record.accountId !== caller.accountId ||
      (beneficiary !== undefined && beneficiary !== record.beneficiary)
    ) {
      throw consumptionNotFound();
    }
    if (record.kind === 'PERPETUAL') {
      throw invalidParameterValue(
        `License consumption ${leaseId} is a PERPETUAL checkout: it is consumed for good, neither checked in nor extended.`,
      );
    }
    return record;
  }

  /** The licence's terms, if the caller may still do `operation` with it (licence available, grant active and allowing it). */
  private async termsFor(
    caller: Caller,
    lease: ConsumptionRecord,
    operation: LicenseManager.AllowedOperation,
  ): Promise<LicenseTerms> {
    const [license] = await this.licenses.usable(caller, operation, { licenseArn: lease.licenseArn });
    if (!license) {
      throw new AwsError(
        'AuthorizationException',
        `Account ${caller.accountId} may not ${operation} license ${lease.licenseArn}: it is not available, or no active grant allows it.`,
      );
    }
    return license.terms;
  }
}
