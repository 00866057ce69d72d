import { createHash } from 'node:crypto';

/**
 * The issuer key fingerprint of IssuerDetails.KeyFingerprint, `aws:<account>:issuer:<hex SHA-256 of
 * the SPKI DER>`: what a client pins to trust a key without shipping it.
 */
export const keyFingerprint = (accountId: string, spkiDer: Buffer): string =>
  `aws:${accountId}:issuer:${createHash('sha256').update(spkiDer).digest('hex')}`;
