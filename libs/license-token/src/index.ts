export type { LicenseTokenAlgorithm } from './algorithms';
export { LicenseTokenError, type LicenseTokenFailure } from './errors';
export { keyFingerprint } from './fingerprint';
export {
  entitlementAllows,
  isLicenseTokenPayload,
  parseTokenTimestamp,
  tokenTimestamp,
  type LicenseTokenPayload,
  type RequiredEntitlement,
  type TokenEntitlement,
} from './payload';
export { signLicenseToken, signLicenseTokenAsync, type SignOptions } from './sign';
export { verifyLicenseToken, type TrustedKey, type VerifyOptions } from './verify';
