import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { handleCommand, NewStreamBatcher, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, REGION, type Clock, isConstraintViolation, requestHash } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { newReportGeneratorId, parseReportGeneratorArn, reportGeneratorArn } from '../domain/arn';
import type { ReportGeneratorCommand } from '../domain/commands';
import { reportGeneratorDecider, reportGeneratorStream } from '../domain/decide';
import { definitionOf, type ReportGeneratorDefinition } from '../domain/definition';
import { clientTokenReused, reportGeneratorNotFound, taggedGeneratorNotFound } from '../domain/errors';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { LICENSING_READS, type LicensingReads } from './licensing-reads';
import type { ReportGeneratorViews } from './report-generator.views';

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
type CallerCommand = DistributiveOmit<
  Exclude<ReportGeneratorCommand, { type: 'CreateReportGenerator' | 'StartReportRun' | 'FinishReportRun' }>,
  'arn' | 'accountId' | 'now'
>;

/** Report generators a caller creates, updates, deletes and tags, in its own account. */
@Injectable()
export class ReportGeneratorCommands {
  private readonly db: Kysely<ReportGeneratorViews>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<ReportGeneratorViews>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
    @Inject(LICENSING_READS) private readonly licensing: LicensingReads,
    private readonly newStreams: NewStreamBatcher,
  ) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  /**
   * A new generator, due to run at once. A retry with the same ClientToken answers the first
   * ARN; the view's key keeps two racing retries from creating two generators.
   */
  async create(
    caller: Caller,
    input: LicenseManager.CreateLicenseManagerReportGeneratorRequest,
  ): Promise<LicenseManager.CreateLicenseManagerReportGeneratorResponse> {
    const hash = requestHash(input);
    const earlier = await this.createdWith(caller, input.ClientToken, hash);
    if (earlier) return earlier;
    const definition = await this.checkedDefinition(caller, input);
    const id = newReportGeneratorId();
    const arn = reportGeneratorArn(this.region, caller.accountId, id);
    try {
      await handleCommand(
        this.store,
        reportGeneratorStream(id),
        reportGeneratorDecider,
        {
          type: 'CreateReportGenerator',
          arn,
          accountId: caller.accountId,
          region: this.region,
          definition,
          tags: input.Tags ?? [],
          now: this.clock.now(),
          clientToken: input.ClientToken,
          requestHash: hash,
        },
        { assumeNewStream: true, newStreams: this.newStreams },
      );
    } catch (error) {
      const first = isConstraintViolation(error, 'report_generator_client_tokens_pk')
        ? await this.createdWith(caller, input.ClientToken, hash)
        : undefined;
      if (first) return first;
      throw error;
    }
    return { LicenseManagerReportGeneratorArn: arn };
  }

  /** A full replacement of the definition, which then reports at once; a retried update (same ClientToken) changes nothing. */
  async update(caller: Caller, input: LicenseManager.UpdateLicenseManagerReportGeneratorRequest): Promise<void> {
    const arn = input.LicenseManagerReportGeneratorArn;
    const id = this.ownId(caller, arn);
    const definition = await this.checkedDefinition(caller, input);
    await this.onOwn(caller, id, arn, {
      type: 'UpdateReportGenerator',
      definition,
      clientToken: input.ClientToken,
      requestHash: requestHash(input),
    });
  }

  /** The guide: once deleted, no more reports are published; those published stay where they are. */
  async delete(caller: Caller, arn: string): Promise<void> {
    await this.onOwn(caller, this.ownId(caller, arn), arn, { type: 'DeleteReportGenerator' });
  }

  async tag(caller: Caller, arn: string, tags: LicenseManager.Tag[]): Promise<void> {
    await this.onOwn(caller, this.ownId(caller, arn, taggedGeneratorNotFound), arn, {
      type: 'TagReportGenerator',
      tags,
    });
  }

  async untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    await this.onOwn(caller, this.ownId(caller, arn, taggedGeneratorNotFound), arn, {
      type: 'UntagReportGenerator',
      tagKeys,
    });
  }

  /**
   * The request's definition, valid by the model and the guide, every configuration of which the
   * caller owns: licensing is asked about each, and answers its modeled error for any other.
   */
  private async checkedDefinition(
    caller: Caller,
    input:
      | LicenseManager.CreateLicenseManagerReportGeneratorRequest
      | LicenseManager.UpdateLicenseManagerReportGeneratorRequest,
  ): Promise<ReportGeneratorDefinition> {
    const owner = { accountId: caller.accountId, region: this.region };
    const definition = definitionOf(input, owner);
    for (const arn of definition.licenseConfigurationArns) await this.licensing.configuration(owner, arn);
    for (const arn of definition.licenseAssetGroupArns ?? []) await this.licensing.assetGroup(owner, arn);
    return definition;
  }

  /** The id of a generator of the caller's account in this Region; any other ARN is not found. */
  private ownId(caller: Caller, arn: string, notFound = reportGeneratorNotFound): string {
    const parts = parseReportGeneratorArn(arn);
    if (!parts || parts.accountId !== caller.accountId || parts.region !== this.region) throw notFound(arn);
    return parts.id;
  }

  private onOwn(caller: Caller, id: string, arn: string, command: CallerCommand) {
    return handleCommand(this.store, reportGeneratorStream(id), reportGeneratorDecider, {
      ...command,
      arn,
      accountId: caller.accountId,
      now: this.clock.now(),
    } as ReportGeneratorCommand);
  }

  /** The first result of a CreateLicenseManagerReportGenerator with this ClientToken, if there was one. */
  private async createdWith(
    caller: Caller,
    clientToken: string,
    hash: string,
  ): Promise<LicenseManager.CreateLicenseManagerReportGeneratorResponse | undefined> {
    const row = await this.db
      .selectFrom('report_generator_client_tokens')
      .select(['arn', 'request_hash'])
      .where('account_id', '=', caller.accountId)
      .where('client_token', '=', clientToken)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.request_hash !== hash) throw clientTokenReused(clientToken);
    return { LicenseManagerReportGeneratorArn: row.arn };
  }
}
