import { Inject, Injectable } from '@nestjs/common';
import { createPublicKey, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { handleCommand, type EventStore } from '@lm/event-store';
import { keyFingerprint } from '@lm/license-token';
import type { Caller } from '@lm/contracts';
import { CLOCK, type Clock, EVENT_STORE } from '@lm/service-kit';
import { signingKeyArn } from '../domain/arn';
import { signingKeyDecider, signingKeyStream } from '../domain/decide';
import { MANAGED_KEY_DESCRIPTION, managedKeyId } from '../domain/managed-key';
import { MODULUS_LENGTHS, type SigningKey } from '../domain/signing-key';
import { SigningKeyMaterial } from './signing-key-material';
import { SigningKeyQueries } from './signing-key.queries';

const generateRsaKeyPair = promisify(generateKeyPair);

/** What the managed key is: RSA, for RSASSA-PSS, as License Manager asks of any signing key. */
const MANAGED_KEY_SPEC = 'RSA_2048';

/**
 * The account's managed key (domain/managed-key.ts), created on its first use. Two first uses at
 * once, in this process or in two replicas, end with one key: the private half is kept once under
 * the key's id (the first kept wins, storeOnce), and the creation is appended to the key's stream
 * only where none is (CreateManagedSigningKey decides nothing on a key that exists).
 */
@Injectable()
export class ManagedSigningKey {
  /** First uses under way in this process, by key id: they share one key pair generation. */
  private readonly creating = new Map<string, Promise<SigningKey>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly queries: SigningKeyQueries,
    private readonly material: SigningKeyMaterial,
  ) {}

  /** The caller's managed key in its Region, created now if this is its first use. */
  async of(caller: Caller): Promise<SigningKey> {
    const keyId = managedKeyId(caller.accountId, caller.region);
    const existing = await this.queries.findOwned(caller, keyId);
    if (existing) return existing;
    let creation = this.creating.get(keyId);
    if (!creation) {
      creation = this.create(caller, keyId).finally(() => this.creating.delete(keyId));
      this.creating.set(keyId, creation);
    }
    return creation;
  }

  private async create(caller: Caller, keyId: string): Promise<SigningKey> {
    const generated = await generateRsaKeyPair('rsa', { modulusLength: MODULUS_LENGTHS[MANAGED_KEY_SPEC] });
    const kept = await this.material.storeOnce(keyId, generated.privateKey);
    const spki = createPublicKey(kept).export({ type: 'spki', format: 'der' });
    const { state } = await handleCommand(this.store, signingKeyStream(keyId), signingKeyDecider, {
      type: 'CreateManagedSigningKey',
      key: {
        keyId,
        arn: signingKeyArn(caller.region, caller.accountId, keyId),
        accountId: caller.accountId,
        region: caller.region,
        keySpec: MANAGED_KEY_SPEC,
        keyUsage: 'SIGN_VERIFY',
        description: MANAGED_KEY_DESCRIPTION,
        createdAt: this.clock.now().toISOString(),
        publicKey: spki.toString('base64'),
        fingerprint: keyFingerprint(caller.accountId, spki),
      },
    });
    if (state.status !== 'present') throw new Error('The managed signing key was not recorded');
    return state.key;
  }
}
