import { Inject, Injectable } from '@nestjs/common';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DATABASE, MasterKey } from '@lm/service-kit';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { SigningKeyViews } from './signing-key.views';

const PURPOSE = 'signing-key';

/**
 * The private halves of the signing keys, sealed with the master key in signing_key_material.
 * Key material never changes, so a key opened once stays in memory: signing does not go to the
 * database (nor decrypt) again.
 */
@Injectable()
export class SigningKeyMaterial {
  private readonly db: Kysely<SigningKeyViews>;
  private readonly opened = new Map<string, Promise<KeyObject>>();

  constructor(
    @Inject(DATABASE) db: Kysely<SigningKeyViews>,
    private readonly masterKey: MasterKey,
  ) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  /** Keeps a new key's private half; done before its creation event, so that no recorded key lacks one. */
  async store(keyId: string, privateKey: KeyObject): Promise<void> {
    const sealed = this.masterKey.seal(PURPOSE, privateKey.export({ type: 'pkcs8', format: 'der' }));
    await this.db.insertInto('signing_key_material').values({ key_id: keyId, sealed }).execute();
  }

  /**
   * The private half kept under `keyId`: this one, unless another writer kept one first, in which
   * case that one (and this one is dropped). Whoever records the key then records the public half
   * of the key kept, so the recorded key and its private half always match.
   */
  async storeOnce(keyId: string, privateKey: KeyObject): Promise<KeyObject> {
    const sealed = this.masterKey.seal(PURPOSE, privateKey.export({ type: 'pkcs8', format: 'der' }));
    await this.db
      .insertInto('signing_key_material')
      .values({ key_id: keyId, sealed })
      .onConflict((oc) => oc.column('key_id').doNothing())
      .execute();
    return this.privateKey(keyId);
  }

  /** The key's private half; concurrent first signatures share one read. */
  privateKey(keyId: string): Promise<KeyObject> {
    let opening = this.opened.get(keyId);
    if (!opening) {
      opening = this.open(keyId);
      this.opened.set(keyId, opening);
      opening.catch(() => this.opened.delete(keyId));
    }
    return opening;
  }

  private async open(keyId: string): Promise<KeyObject> {
    const row = await this.db
      .selectFrom('signing_key_material')
      .select('sealed')
      .where('key_id', '=', keyId)
      .executeTakeFirst();
    if (!row) throw new Error(`The private half of signing key ${keyId} is missing`);
    return createPrivateKey({ key: this.masterKey.open(PURPOSE, row.sealed), format: 'der', type: 'pkcs8' });
  }
}
