import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import { handleCommand, NewStreamBatcher, type EventStore } from '@lm/event-store';
import type { Caller } from '@lm/contracts';
import { CLOCK, type Clock, DATABASE, EVENT_STORE, isConstraintViolation, REGION, requestHash } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { licenseArn, newLicenseId, parseLicenseArn } from '../domain/arn';
import type { LicenseCommand } from '../domain/commands';
import { licenseDecider, licenseStream } from '../domain/decide';
import { clientTokenReused, licenseNotFound, redirectToHomeRegion } from '../domain/errors';
import { notAuthorized } from '@lm/contracts';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { LicenseViews } from './license.views';
import { LicenseAccess } from '../../grants/application/license-access';
import { SigningKeys } from '../../signing-keys/application/signing-keys';

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
type ExistingLicenseCommand = DistributiveOmit<
  Exclude<LicenseCommand, { type: 'CreateLicense' | 'EndLicenseTerm' }>,
  'arn' | 'accountId' | 'region' | 'now'
>;

/** The licences an issuer creates, versions and deletes (seller-issued licences). */
@Injectable()
export class LicenseCommands {
  private readonly db: Kysely<LicenseViews>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<LicenseViews>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
    private readonly signingKeys: SigningKeys,
    private readonly access: LicenseAccess,
    private readonly newStreams: NewStreamBatcher,
  ) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  /**
   * A new licence, version 1, AVAILABLE. A retry with the same ClientToken answers the first
   * result; the view's unique index keeps two racing retries from creating two licences.
   */
  async create(
    caller: Caller,
    input: LicenseManager.CreateLicenseRequest,
  ): Promise<LicenseManager.CreateLicenseResponse> {
    const hash = requestHash(input);
    const earlier = await this.createdWith(caller, input.ClientToken, hash);
    if (earlier) return earlier;
    if (input.HomeRegion !== this.region) throw redirectToHomeRegion(input.HomeRegion);
    const issuer = await this.issuerDetails(caller, input.Issuer);
    const id = newLicenseId();
    const arn = licenseArn(caller.accountId, id);
    try {
      await handleCommand(
        this.store,
        licenseStream(id),
        licenseDecider,
        {
          type: 'CreateLicense',
          arn,
          input,
          issuer,
          accountId: caller.accountId,
          region: this.region,
          now: this.clock.now(),
          clientToken: input.ClientToken,
          requestHash: hash,
        },
        { assumeNewStream: true, newStreams: this.newStreams },
      );
    } catch (error) {
      const first = isConstraintViolation(error, 'licenses_by_client_token')
        ? await this.createdWith(caller, input.ClientToken, hash)
        : undefined;
      if (first) return first;
      throw error;
    }
    return { LicenseArn: arn, Status: 'AVAILABLE', Version: '1' };
  }

  /** A new version replacing the whole definition (status included); SourceVersion guards against lost updates. */
  async createVersion(
    caller: Caller,
    input: LicenseManager.CreateLicenseVersionRequest,
  ): Promise<LicenseManager.CreateLicenseVersionResponse> {
    const id = await this.issuedLicenseId(caller, input.LicenseArn);
    const issuer = await this.issuerDetails(caller, input.Issuer);
    const { state } = await this.onIssued(caller, id, input.LicenseArn, {
      type: 'CreateLicenseVersion',
      input,
      issuer,
      clientToken: input.ClientToken,
      requestHash: requestHash(input),
    });
    const license = state.status === 'present' ? state.license : undefined;
    const version = license?.versions[Number(license.clientTokens[input.ClientToken].version) - 1];
    return { LicenseArn: input.LicenseArn, Version: version?.Version, Status: version?.Status };
  }

  /** The guide: a deleted licence is kept read-only (six months), and can no longer be used, versioned or granted. */
  async delete(
    caller: Caller,
    input: LicenseManager.DeleteLicenseRequest,
  ): Promise<LicenseManager.DeleteLicenseResponse> {
    const id = await this.issuedLicenseId(caller, input.LicenseArn);
    const { state } = await this.onIssued(caller, id, input.LicenseArn, {
      type: 'DeleteLicense',
      sourceVersion: input.SourceVersion,
    });
    return { Status: 'DELETED', DeletionDate: state.status === 'present' ? state.license.deletionDate : undefined };
  }

  async tag(caller: Caller, arn: string, tags: LicenseManager.Tag[]): Promise<void> {
    await this.onIssued(caller, await this.issuedLicenseId(caller, arn), arn, { type: 'TagLicense', tags });
  }

  async untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    await this.onIssued(caller, await this.issuedLicenseId(caller, arn), arn, { type: 'UntagLicense', tagKeys });
  }

  /** The id of a licence the caller issued. A grantee sees the licence, so it is told why it cannot change it; anyone else learns nothing. */
  private async issuedLicenseId(caller: Caller, arn: string): Promise<string> {
    const parts = parseLicenseArn(arn);
    if (!parts) throw licenseNotFound(arn);
    if (parts.issuerAccountId !== caller.accountId) {
      await this.access.readableLicense(caller, arn);
      throw notAuthorized(`Only the issuer of ${arn} can change it.`);
    }
    return parts.id;
  }

  private onIssued(caller: Caller, id: string, arn: string, command: ExistingLicenseCommand) {
    return handleCommand(this.store, licenseStream(id), licenseDecider, {
      ...command,
      arn,
      accountId: caller.accountId,
      region: this.region,
      now: this.clock.now(),
    } as LicenseCommand);
  }

  /**
   * The issuer and the key that signs: the one Issuer.SignKey names, or, as AWS signs a licence
   * given none with a key it manages, the account's managed key (named in the answer's SignKey,
   * so that its public key can be fetched like any other's).
   */
  private async issuerDetails(caller: Caller, issuer: LicenseManager.Issuer): Promise<LicenseManager.IssuerDetails> {
    const key =
      issuer.SignKey !== undefined
        ? await this.signingKeys.resolveIssuerKey(caller, issuer.SignKey)
        : await this.signingKeys.managedIssuerKey(caller);
    return { Name: issuer.Name, SignKey: key.keyArn, KeyFingerprint: key.keyFingerprint };
  }

  /** The first result of a CreateLicense with this ClientToken, if there was one. */
  private async createdWith(
    caller: Caller,
    clientToken: string,
    hash: string,
  ): Promise<LicenseManager.CreateLicenseResponse | undefined> {
    const row = await this.db
      .selectFrom('licenses')
      .select(['license_arn', 'request_hash'])
      .where('issuer_account_id', '=', caller.accountId)
      .where('client_token', '=', clientToken)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.request_hash !== hash) throw clientTokenReused(clientToken);
    return { LicenseArn: row.license_arn, Status: 'AVAILABLE', Version: '1' };
  }
}
