import { Inject, Injectable } from '@nestjs/common';
import type { Kms } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, pageOf, type PageRules } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { ownKeyId, parseKeyArn } from '../domain/arn';
import { keyNotFound } from '../domain/errors';
import type { SigningKey } from '../domain/signing-key';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { SigningKeyViews } from './signing-key.views';
import { toGetPublicKeyResponse, toKeyMetadata } from './signing-key-output';

/** KMS's ListKeys: Limit 100 when not said, at most 1,000; a bad Marker is InvalidMarkerException. */
const KEY_PAGES: PageRules = { defaultSize: 100, maxSize: 1000, invalidTokenError: 'InvalidMarkerException' };

/** DescribeKey, GetPublicKey and ListKeys on the signing_keys view; a caller sees its own account's keys in its Region. */
@Injectable()
export class SigningKeyQueries {
  private readonly db: Kysely<SigningKeyViews>;

  constructor(@Inject(DATABASE) db: Kysely<SigningKeyViews>) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  async describe(caller: Caller, keyId: string): Promise<Kms.DescribeKeyResponse> {
    return { KeyMetadata: toKeyMetadata(await this.owned(caller, keyId)) };
  }

  /**
   * The public key in any state: unlike KMS, a key pending deletion still gives it, because such
   * keys are kept precisely so that the tokens they signed can still be verified.
   */
  async getPublicKey(caller: Caller, keyId: string): Promise<Kms.GetPublicKeyResponse> {
    return toGetPublicKeyResponse(await this.owned(caller, keyId));
  }

  async list(caller: Caller, input: Kms.ListKeysRequest): Promise<Kms.ListKeysResponse> {
    // KMS pages with Limit and Marker: the same cursor under other names.
    const page = pageOf<{ createdAt: string; keyId: string }>(
      caller.accountId,
      { NextToken: input.Marker, MaxResults: input.Limit },
      KEY_PAGES,
    );
    const after = page.after;
    let query = this.db
      .selectFrom('signing_keys')
      .select(['key_id', 'created_at', 'document'])
      .where('account_id', '=', caller.accountId)
      .where('region', '=', caller.region);
    if (after) {
      const createdAt = new Date(after.createdAt);
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '>', createdAt),
          eb.and([eb('created_at', '=', createdAt), eb('key_id', '>', after.keyId)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('created_at')
      .orderBy('key_id')
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({
      createdAt: row.created_at.toISOString(),
      keyId: row.key_id,
    }));
    return {
      Keys: items.map((row) => ({ KeyId: row.key_id, KeyArn: row.document.arn })),
      Truncated: NextToken !== undefined,
      NextMarker: NextToken,
    };
  }

  /** The caller's key a KeyId member (id or ARN) names, or NotFoundException as for a key that does not exist. */
  async owned(caller: Caller, reference: string): Promise<SigningKey> {
    const key = await this.findOwned(caller, reference);
    if (!key) throw keyNotFound(reference);
    return key;
  }

  async findOwned(caller: Caller, reference: string): Promise<SigningKey | undefined> {
    const keyId = ownKeyId(reference, caller);
    if (!keyId) return undefined;
    const row = await this.db
      .selectFrom('signing_keys')
      .select('document')
      .where('key_id', '=', keyId)
      .where('account_id', '=', caller.accountId)
      .where('region', '=', caller.region)
      .executeTakeFirst();
    return row?.document;
  }

  /** Any account's key by its ARN (the key a licence records as its issuer's). */
  async byArn(keyArn: string): Promise<SigningKey | undefined> {
    const parts = parseKeyArn(keyArn);
    if (!parts) return undefined;
    const row = await this.db
      .selectFrom('signing_keys')
      .select('document')
      .where('key_id', '=', parts.keyId)
      .executeTakeFirst();
    return row?.document.arn === keyArn ? row.document : undefined;
  }
}
