import type { SigningKeyCreatedData } from './signing-key';

export type SigningKeyCommand =
  /** The key pair exists already (generated, its private half sealed): this records it. */
  | { type: 'CreateSigningKey'; key: SigningKeyCreatedData }
  /**
   * The managed key's first use: records it unless it exists already, whoever created it (the key
   * pair is the one kept under its id, whichever first use kept it).
   */
  | { type: 'CreateManagedSigningKey'; key: Omit<SigningKeyCreatedData, 'keyManager'> }
  /** `keyArn`: the key the request names, as an ARN of the caller's account and Region. */
  | { type: 'ScheduleSigningKeyDeletion'; keyArn: string; owner: KeyOwner; pendingWindowInDays?: number; now: Date };

/** Who asks, and where: a key is only seen by its account, in its Region. */
export interface KeyOwner {
  accountId: string;
  region: string;
}
