import { Inject, Injectable } from '@nestjs/common';
import type { SecretsManager } from '@lm/api-model';
import { DATABASE, pageOf, type PageRules } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { secretNotFound, invalidParameter, markedForDeletion, secretValueNotFound } from '../domain/errors';
import { matchesFilters } from '../domain/list-filters';
import { versionOf, type Secret } from '../domain/secret';
import { candidatesOf } from '../domain/secret-arn';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { toDescribeSecretResponse, toSecretListEntry } from './secret-output';
import { SecretSealing } from './secret-sealing';
import type { SecretViews } from './secret.views';

/** Who asks: a secret is only seen by its account, in its Region. */
export interface SecretOwner {
  accountId: string;
  region: string;
}

/** ListSecrets: 100 a page at most (the model's bound), and by default. */
const SECRET_PAGES: PageRules = {
  defaultSize: 100,
  maxSize: 100,
  invalidTokenError: 'InvalidNextTokenException',
};

type SortKey = 'created_at' | 'last_changed_at' | 'name';
const SORT_COLUMNS: Partial<Record<SecretsManager.SortByType, SortKey>> = {
  'created-date': 'created_at',
  'last-changed-date': 'last_changed_at',
  name: 'name',
};

/** DescribeSecret, GetSecretValue and ListSecrets on the secrets view, always within the caller's account and Region. */
@Injectable()
export class SecretQueries {
  private readonly db: Kysely<SecretViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<SecretViews>,
    private readonly sealing: SecretSealing,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  async describe(owner: SecretOwner, secretId: string): Promise<SecretsManager.DescribeSecretResponse> {
    return toDescribeSecretResponse(await this.named(owner, secretId));
  }

  /** The value of a version; a secret scheduled for deletion gives none. */
  async value(
    owner: SecretOwner,
    input: SecretsManager.GetSecretValueRequest,
  ): Promise<SecretsManager.GetSecretValueResponse> {
    const secret = await this.named(owner, input.SecretId);
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    const version = versionOf(secret, input.VersionId, input.VersionStage);
    if (!version)
      throw secretValueNotFound(
        input.VersionId !== undefined
          ? `VersionId: ${input.VersionId}`
          : `staging label: ${input.VersionStage ?? 'AWSCURRENT'}`,
      );
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.versionId,
      ...this.sealing.open(version),
      VersionStages: version.stages,
      CreatedDate: Date.parse(version.createdAt) / 1000,
    };
  }

  async list(
    owner: SecretOwner,
    input: SecretsManager.ListSecretsRequest,
  ): Promise<SecretsManager.ListSecretsResponse> {
    const sortBy = input.SortBy ?? 'created-date';
    const column = SORT_COLUMNS[sortBy];
    if (!column)
      throw invalidParameter(`SortBy ${sortBy} is not supported: this product does not record when a secret is read.`);
    const descending = input.SortOrder === 'desc';
    const page = pageOf<{ sort: string; name: string }>(owner.accountId, input, SECRET_PAGES);
    let query = this.db
      .selectFrom('secrets')
      .select(['name', 'document', column])
      .where('account_id', '=', owner.accountId)
      .where('region', '=', owner.region);
    if (!input.IncludePlannedDeletion) query = query.where('deletion_date', 'is', null);
    const after = page.after;
    if (after) {
      const sort = column === 'name' ? after.sort : new Date(after.sort);
      const beyond = descending ? '<' : '>';
      query = query.where((eb) =>
        eb.or([eb(column, beyond, sort), eb.and([eb(column, '=', sort), eb('name', beyond, after.name)])]),
      );
    }
    const direction = descending ? 'desc' : 'asc';
    // Filters are prefixes, negations and tag matches over one account's secrets: applied to its rows here.
    const rows = (await query.orderBy(column, direction).orderBy('name', direction).execute()).filter((row) =>
      matchesFilters(row.document, input.Filters ?? []),
    );
    const { items, NextToken } = page.cut(rows.slice(0, page.limit + 1), (row) => ({
      sort: row[column] instanceof Date ? row[column].toISOString() : String(row[column]),
      name: row.name,
    }));
    return { SecretList: items.map((row) => toSecretListEntry(row.document)), ...(NextToken ? { NextToken } : {}) };
  }

  /** The caller's secret a SecretId names (name, or full or partial ARN), deleted or not. */
  async named(owner: SecretOwner, secretId: string): Promise<Secret> {
    const secret = await this.find(owner, secretId);
    if (!secret) throw secretNotFound();
    return secret;
  }

  async find(owner: SecretOwner, secretId: string): Promise<Secret | undefined> {
    for (const candidate of candidatesOf(secretId, owner)) {
      const row = await this.db
        .selectFrom('secrets')
        .select('document')
        .where('account_id', '=', owner.accountId)
        .where('region', '=', owner.region)
        .where('name', '=', candidate.name)
        .executeTakeFirst();
      if (row && (candidate.arn === undefined || row.document.arn === candidate.arn)) return row.document;
    }
    return undefined;
  }
}
