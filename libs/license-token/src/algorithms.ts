import { constants } from 'node:crypto';

/** PS384 is what the API calls JWT_PS384; PS256 is what the guide describes. Both are accepted, nothing else. */
export type LicenseTokenAlgorithm = 'PS384' | 'PS256';

const HASHES: Record<LicenseTokenAlgorithm, string> = { PS384: 'sha384', PS256: 'sha256' };

export const isLicenseTokenAlgorithm = (alg: unknown): alg is LicenseTokenAlgorithm =>
  alg === 'PS384' || alg === 'PS256';

export const hashOf = (alg: LicenseTokenAlgorithm): string => HASHES[alg];

/** RSASSA-PSS as JWS defines it (RFC 7518 §3.5): MGF1 with the message hash, salt as long as the hash. */
export const PSS_PADDING = {
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
} as const;
