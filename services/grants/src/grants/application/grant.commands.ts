import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import {
  handleCommand,
  handleMultiStreamCommand,
  NewStreamBatcher,
  streamGroup,
  type EventStore,
} from '@lm/event-store';
import type { Caller } from '@lm/contracts';
import { CLOCK, type Clock, DATABASE, EVENT_STORE, isConstraintViolation, REGION, requestHash } from '@lm/service-kit';
import type { Kysely, Selectable } from 'kysely';
import { grantArn, newGrantId, parseGrantArn } from '../domain/arn';
import type { GrantCommand, GrantedLicense } from '../domain/commands';
import { decideGrant, grantDecider, grantNotFound, grantStream } from '../domain/decide';
import type { GrantEvent } from '../domain/events';
import type { GrantState } from '../domain/grant';
import { principalAccountId } from '../domain/principal';
import { clientTokenReused, licenseNotFound } from '../../licenses/domain/errors';
import { notAuthorized, validation } from '@lm/contracts';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { GrantViews } from './grant.views';
import type { LicenseViews } from '../../licenses/application/license.views';
import { LicenseAccess } from './license-access';
import { OrganizationIntegrations } from './organization-integration.queries';
import { grantStates } from './grant-states';

type GrantResult = LicenseManager.CreateGrantResponse;
type GrantRow = Selectable<GrantViews['grants']>;

/** Grants: their creation, versions, acceptance, rejection and deletion. */
@Injectable()
export class GrantCommands {
  private readonly db: Kysely<GrantViews & LicenseViews>;
  private readonly states = grantStates();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<GrantViews & LicenseViews>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
    private readonly access: LicenseAccess,
    private readonly integrations: OrganizationIntegrations,
    private readonly newStreams: NewStreamBatcher,
  ) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  /**
   * A grant of the licence to one principal, by its issuer or by a grantee distributing it
   * (an ACTIVE grant that allows CreateGrant is then the new grant's parent). A retry with the
   * same ClientToken answers the first result.
   */
  async create(caller: Caller, input: LicenseManager.CreateGrantRequest): Promise<GrantResult> {
    const hash = requestHash(input);
    const earlier = await this.createdWith(caller, input.ClientToken, hash);
    if (earlier) return earlier;
    const license = await this.grantedLicense(input.LicenseArn);
    const parent =
      license.issuerAccountId === caller.accountId ? undefined : await this.distributingGrant(caller, input.LicenseArn);
    const grantee = input.Principals.length === 1 ? principalAccountId(input.Principals[0]) : undefined;
    const autoAccepted = grantee !== undefined && (await this.integrations.autoAccepts(caller, grantee));
    const id = newGrantId();
    const arn = grantArn(caller.accountId, id);
    const command: GrantCommand = {
      type: 'CreateGrant',
      arn,
      input,
      license,
      parent,
      autoAccepted,
      ...this.context(caller),
      clientToken: input.ClientToken,
      requestHash: hash,
    };
    try {
      const { state } = await handleCommand(this.store, grantStream(id), grantDecider, command, {
        assumeNewStream: true,
        newStreams: this.newStreams,
      });
      return this.resultOf(state);
    } catch (error) {
      const first = isConstraintViolation(error, 'grants_by_client_token')
        ? await this.createdWith(caller, input.ClientToken, hash)
        : undefined;
      if (first) return first;
      throw error;
    }
  }

  /**
   * Activation, deactivation, and the grantor's changes of name and operations. The activation or
   * deactivation of a distributed grant applies to each of its sub-grants, in the same append. A
   * retry with the same ClientToken answers the version it made.
   */
  async createVersion(
    caller: Caller,
    input: LicenseManager.CreateGrantVersionRequest,
  ): Promise<LicenseManager.CreateGrantVersionResponse> {
    const row = await this.grantRow(input.GrantArn);
    const parentOperations =
      row.parent_arn === row.license_arn ? undefined : (await this.grantRow(row.parent_arn)).document.GrantedOperations;
    const context = this.context(caller);
    const clientToken = input.ClientToken;
    const versionOf =
      (target: LicenseManager.CreateGrantVersionRequest, operations?: LicenseManager.AllowedOperation[]) =>
      (activeForSameProduct: string[]): GrantCommand => ({
        type: 'CreateGrantVersion',
        input: target,
        parentOperations: operations,
        activeForSameProduct,
        ...context,
        clientToken: target.ClientToken,
        requestHash: requestHash(target),
      });
    const subGrants =
      input.Status !== undefined && row.status === 'WORKFLOW_COMPLETED'
        ? await this.changeableSubGrants(row.grant_arn)
        : [];
    await this.decideAmongActiveGrants([
      { row, command: versionOf(input, parentOperations) },
      ...subGrants.map((sub) => ({
        row: sub,
        command: versionOf(
          {
            GrantArn: sub.grant_arn,
            Status: input.Status,
            StatusReason: input.StatusReason,
            Options: input.Options,
            ClientToken: `${clientToken}/${sub.grant_arn}`,
          },
          row.document.GrantedOperations,
        ),
      })),
    ]);
    const after = await this.grantRow(input.GrantArn);
    const made = after.state.clientTokens[clientToken].version;
    const version = await this.db
      .selectFrom('grant_versions')
      .select('document')
      .where('grant_id', '=', row.grant_id)
      .where('version', '=', Number(made))
      .executeTakeFirstOrThrow();
    return { GrantArn: input.GrantArn, Status: version.document.GrantStatus, Version: made };
  }

  /** The grantee accepts, which leaves the grant DISABLED until it is activated (createVersion). */
  accept(caller: Caller, arn: string): Promise<GrantResult> {
    return this.onGrant(arn, { type: 'AcceptGrant', arn, ...this.context(caller) });
  }

  /**
   * Decides on grants (a grant, or a distributed grant and its sub-grants) with each grantee's
   * other ACTIVE grants for the product loaded too: one product has one ACTIVE grant per grantee.
   * An activation with ALL_GRANTS_PERMITTED_BY_ISSUER disables the others in the same append; the
   * whole decision is all or nothing, and the view's exclusion constraint refuses an activation
   * that raced another.
   */
  private async decideAmongActiveGrants(
    targets: { row: GrantRow; command: (activeForSameProduct: string[]) => GrantCommand }[],
  ): Promise<void> {
    const decisions = await Promise.all(
      targets.map(async (target) => ({
        ...target,
        stream: grantStream(target.row.grant_id),
        others: await this.otherActiveGrants(target.row),
      })),
    );
    const byName = (names: string[]) => names.map((name) => [name, name] as const);
    const now = this.clock.now();
    try {
      await handleMultiStreamCommand(this.store, {
        streams: {
          // The replaced grants first, so that the view never holds two ACTIVE grants for the product.
          replaced: streamGroup(
            byName(decisions.flatMap(({ others }) => others.map((other) => grantStream(other.grant_id)))),
            this.states,
          ),
          decided: streamGroup(byName(decisions.map(({ stream }) => stream)), this.states),
        },
        decide: (states) => {
          const replaced = new Map<string, GrantEvent[]>();
          const decided = new Map<string, GrantEvent[]>();
          for (const { row, command, stream, others } of decisions) {
            const stillActive = others.filter((other) => activeIn(states.replaced.get(grantStream(other.grant_id))!));
            const events = decideGrant(
              command(stillActive.map((other) => other.grant_arn)),
              states.decided.get(stream)!,
            );
            if (events.some((event) => event.type === 'GrantActivated')) {
              for (const other of stillActive) {
                const otherStream = grantStream(other.grant_id);
                replaced.set(
                  otherStream,
                  decideGrant(
                    { type: 'ReplaceGrant', byGrantArn: row.grant_arn, now },
                    states.replaced.get(otherStream)!,
                  ),
                );
              }
            }
            decided.set(stream, events);
          }
          return { replaced, decided };
        },
      });
    } catch (error) {
      if (!isConstraintViolation(error, 'grants_one_active_per_product')) throw error;
      const [active] = (await Promise.all(targets.map((target) => this.otherActiveGrants(target.row)))).flat();
      throw validation(
        `Grant ${active?.grant_arn ?? 'another grant'} was activated for product ${targets[0].row.product_sku} meanwhile; deactivate it first, or activate with ALL_GRANTS_PERMITTED_BY_ISSUER.`,
      );
    }
  }

  /** The sub-grants of a distributed grant that can still be activated or deactivated. */
  private changeableSubGrants(parentArn: string): Promise<GrantRow[]> {
    return this.db
      .selectFrom('grants')
      .selectAll()
      .where('parent_arn', '=', parentArn)
      .where('status', 'in', ['ACTIVE', 'DISABLED'])
      .orderBy('created_at')
      .orderBy('grant_id')
      .execute();
  }

  reject(caller: Caller, arn: string): Promise<GrantResult> {
    return this.onGrant(arn, { type: 'RejectGrant', arn, ...this.context(caller) });
  }

  delete(caller: Caller, input: LicenseManager.DeleteGrantRequest): Promise<GrantResult> {
    return this.onGrant(input.GrantArn, {
      type: 'DeleteGrant',
      arn: input.GrantArn,
      version: input.Version,
      statusReason: input.StatusReason,
      ...this.context(caller),
    });
  }

  async tag(caller: Caller, arn: string, tags: LicenseManager.Tag[]): Promise<void> {
    await this.onGrant(arn, { type: 'TagGrant', arn, tags, ...this.context(caller) });
  }

  async untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    await this.onGrant(arn, { type: 'UntagGrant', arn, tagKeys, ...this.context(caller) });
  }

  private context(caller: Caller) {
    return { caller, region: this.region, now: this.clock.now() };
  }

  private async onGrant(arn: string, command: GrantCommand): Promise<GrantResult> {
    const parts = parseGrantArn(arn);
    if (!parts) throw grantNotFound(arn);
    const { state } = await handleCommand(this.store, grantStream(parts.id), grantDecider, command);
    return this.resultOf(state);
  }

  private resultOf(state: GrantState): GrantResult {
    if (state.status !== 'present') return {};
    const { grant } = state.aggregate;
    return { GrantArn: grant.GrantArn, Status: grant.GrantStatus, Version: grant.Version };
  }

  private async grantRow(arn: string): Promise<GrantRow> {
    const row = await this.db.selectFrom('grants').selectAll().where('grant_arn', '=', arn).executeTakeFirst();
    if (!row) throw grantNotFound(arn);
    return row;
  }

  /** The grantee's other ACTIVE grants for the grant's product (the one-active-grant-per-product rule). */
  private otherActiveGrants(row: { grant_arn: string; grantee_principal_arn: string; product_sku: string }) {
    return this.db
      .selectFrom('grants')
      .select(['grant_id', 'grant_arn'])
      .where('grantee_principal_arn', '=', row.grantee_principal_arn)
      .where('product_sku', '=', row.product_sku)
      .where('status', '=', 'ACTIVE')
      .where('grant_arn', '!=', row.grant_arn)
      .execute();
  }

  private async grantedLicense(licenseArn: string): Promise<GrantedLicense> {
    const row = await this.db
      .selectFrom('licenses')
      .select(['issuer_account_id', 'issuer_name', 'product_sku', 'home_region', 'status'])
      .where('license_arn', '=', licenseArn)
      .executeTakeFirst();
    if (!row) throw licenseNotFound(licenseArn);
    return {
      licenseArn,
      issuerAccountId: row.issuer_account_id,
      issuerName: row.issuer_name,
      productSku: row.product_sku,
      homeRegion: row.home_region,
      deleted: row.status === 'DELETED',
    };
  }

  /** The caller's ACTIVE grant allowing CreateGrant on the licence: what a distributed grant derives from. */
  private async distributingGrant(caller: Caller, licenseArn: string) {
    const [usable] = await this.access.usableLicenses(caller, 'CreateGrant', { licenseArn });
    if (usable?.route.kind === 'grant')
      return { grantArn: usable.route.grantArn, grantedOperations: usable.route.grantedOperations };
    // Whoever cannot even see the licence learns nothing of it.
    await this.access.readableLicense(caller, licenseArn);
    throw notAuthorized(
      `Granting ${licenseArn} needs an ACTIVE grant of it that allows CreateGrant, while the licence is AVAILABLE.`,
    );
  }

  /** The first result of a CreateGrant with this ClientToken, if there was one. */
  private async createdWith(caller: Caller, clientToken: string, hash: string): Promise<GrantResult | undefined> {
    const row = await this.db
      .selectFrom('grants')
      .innerJoin('grant_versions', 'grant_versions.grant_id', 'grants.grant_id')
      .select(['grants.grant_arn', 'grants.state', 'grant_versions.document'])
      .where('grants.grantor_account_id', '=', caller.accountId)
      .where('grants.client_token', '=', clientToken)
      .where('grant_versions.version', '=', 1)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.state.clientTokens[clientToken]?.requestHash !== hash) throw clientTokenReused(clientToken);
    return { GrantArn: row.grant_arn, Status: row.document.GrantStatus, Version: '1' };
  }
}

const activeIn = (state: GrantState) => state.status === 'present' && state.aggregate.grant.GrantStatus === 'ACTIVE';
