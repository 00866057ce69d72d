import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The deployment's master key: it encrypts what must be kept but never shown (signing keys'
 * private halves, temporary credentials' secrets, Secrets Manager values) and keys the services'
 * own token MACs. Every service that uses it must be given the same LM_MASTER_KEY.
 * Each use names a purpose, so that one derived key never serves two jobs.
 */
export class MasterKey {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The master key must be 32 bytes');
  }

  /** A 32-byte key for one purpose (HKDF-SHA256). */
  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `open-license-manager:${purpose}`, 32));
  }

  /** AES-256-GCM under the purpose's key; the result (iv, tag, ciphertext) is base64. */
  seal(purpose: string, plaintext: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.derive(purpose), iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  /** The plaintext of `seal`; throws when the text was changed or sealed for another purpose. */
  open(purpose: string, sealed: string): Buffer {
    const bytes = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.derive(purpose), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
  }
}
