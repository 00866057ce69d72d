import { Inject, Injectable } from '@nestjs/common';
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { Kms } from '@lm/api-model';
import { handleCommand, NewStreamBatcher, type EventStore } from '@lm/event-store';
import { keyFingerprint } from '@lm/license-token';
import type { Caller } from '@lm/contracts';
import { CLOCK, type Clock, EVENT_STORE } from '@lm/service-kit';
import { newKeyId, ownKeyId, signingKeyArn } from '../domain/arn';
import { signingKeyDecider, signingKeyStream } from '../domain/decide';
import { keyNotFound } from '../domain/errors';
import { requestedSigningKeySpec } from '../domain/key-spec';
import { MODULUS_LENGTHS } from '../domain/signing-key';
import { toKeyMetadata } from './signing-key-output';
import { SigningKeyMaterial } from './signing-key-material';
import { KeyStoreSigningKeys } from './key-store-signing-keys';

/** Off the event loop (libuv's thread pool): a 4096-bit key takes a second or more. */
const generateRsaKeyPair = promisify(generateKeyPair);

@Injectable()
export class SigningKeyCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly material: SigningKeyMaterial,
    private readonly signingKeys: KeyStoreSigningKeys,
    private readonly newStreams: NewStreamBatcher,
  ) {}

  /** CreateKey: a new RSA key pair; the private half is sealed and kept before the key is recorded. */
  async create(caller: Caller, input: Kms.CreateKeyRequest): Promise<Kms.CreateKeyResponse> {
    const keySpec = requestedSigningKeySpec(input);
    const { publicKey, privateKey } = await generateRsaKeyPair('rsa', { modulusLength: MODULUS_LENGTHS[keySpec] });
    const keyId = newKeyId();
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    await this.material.store(keyId, privateKey);
    const { state } = await handleCommand(
      this.store,
      signingKeyStream(keyId),
      signingKeyDecider,
      {
        type: 'CreateSigningKey',
        key: {
          keyId,
          arn: signingKeyArn(caller.region, caller.accountId, keyId),
          accountId: caller.accountId,
          region: caller.region,
          keySpec,
          keyUsage: 'SIGN_VERIFY',
          description: input.Description ?? '',
          createdAt: this.clock.now().toISOString(),
          publicKey: spki.toString('base64'),
          fingerprint: keyFingerprint(caller.accountId, spki),
        },
      },
      { assumeNewStream: true, newStreams: this.newStreams },
    );
    if (state.status !== 'present') throw new Error('CreateKey recorded no key');
    return { KeyMetadata: toKeyMetadata(state.key) };
  }

  /** ScheduleKeyDeletion: the key stops signing at once; it is kept, so that what it signed still verifies. */
  async scheduleDeletion(
    caller: Caller,
    input: Kms.ScheduleKeyDeletionRequest,
  ): Promise<Kms.ScheduleKeyDeletionResponse> {
    const keyId = ownKeyId(input.KeyId, caller);
    if (!keyId) throw keyNotFound(input.KeyId);
    const keyArn = signingKeyArn(caller.region, caller.accountId, keyId);
    const { newEvents } = await handleCommand(this.store, signingKeyStream(keyId), signingKeyDecider, {
      type: 'ScheduleSigningKeyDeletion',
      keyArn,
      owner: { accountId: caller.accountId, region: caller.region },
      pendingWindowInDays: input.PendingWindowInDays,
      now: this.clock.now(),
    });
    this.signingKeys.keyStateChanged(keyArn);
    const [scheduled] = newEvents;
    if (scheduled?.type !== 'SigningKeyDeletionScheduled') throw new Error('ScheduleKeyDeletion recorded no deletion');
    return {
      KeyId: keyArn,
      DeletionDate: Date.parse(scheduled.data.deletionDate) / 1000,
      KeyState: 'PendingDeletion',
      PendingWindowInDays: scheduled.data.pendingWindowInDays,
    };
  }
}
