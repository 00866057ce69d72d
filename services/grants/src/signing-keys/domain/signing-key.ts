import type { SigningKeyEvent } from './events';

/** The key specs this key store creates: RSA key pairs, for SIGN_VERIFY. */
export type SigningKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';

export const MODULUS_LENGTHS: Record<SigningKeySpec, number> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };

/** Enabled keys sign; a key pending deletion does not, but it is kept (never deleted) so that tokens it signed still verify. */
export type SigningKeyLifecycle = 'Enabled' | 'PendingDeletion';

/** What the creation records: the public half only, never the private one (sealed apart, see signing_key_material). */
export interface SigningKeyCreatedData {
  keyId: string;
  /** arn:aws:kms:<region>:<account>:key/<keyId> */
  arn: string;
  accountId: string;
  region: string;
  keySpec: SigningKeySpec;
  keyUsage: 'SIGN_VERIFY';
  description: string;
  createdAt: string;
  /** SPKI DER, base64: what GetPublicKey answers. */
  publicKey: string;
  /** aws:<account>:issuer:<hex SHA-256 of the SPKI DER> (IssuerDetails.KeyFingerprint). */
  fingerprint: string;
  /** 'AWS' for the key this service manages (managed-key.ts); absent for the account's own keys (CreateKey). */
  keyManager?: 'AWS';
}

export interface SigningKey extends SigningKeyCreatedData {
  keyState: SigningKeyLifecycle;
  deletionDate?: string;
}

export type SigningKeyState = { status: 'absent' } | { status: 'present'; key: SigningKey };

export const initialSigningKeyState = (): SigningKeyState => ({ status: 'absent' });

export function evolveSigningKey(state: SigningKeyState, event: SigningKeyEvent): SigningKeyState {
  switch (event.type) {
    case 'SigningKeyCreated':
      return { status: 'present', key: { ...event.data, keyState: 'Enabled' } };
    case 'SigningKeyDeletionScheduled':
      return state.status === 'present'
        ? {
            status: 'present',
            key: { ...state.key, keyState: 'PendingDeletion', deletionDate: event.data.deletionDate },
          }
        : state;
  }
}
