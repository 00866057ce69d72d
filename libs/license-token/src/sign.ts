import { sign, type KeyObject } from 'node:crypto';
import { hashOf, PSS_PADDING, type LicenseTokenAlgorithm } from './algorithms';
import type { LicenseTokenPayload } from './payload';

export interface SignOptions {
  /** The signing key's id, put in the header so that a verifier holding several keys can tell which. */
  kid?: string;
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** `base64url(header).base64url(payload)`: the text the signature covers. */
const signingInputOf = (payload: LicenseTokenPayload, alg: LicenseTokenAlgorithm, options: SignOptions): string => {
  const header = { alg, typ: 'JWT', ...(options.kid === undefined ? {} : { kid: options.kid }) };
  return `${encode(header)}.${encode(payload)}`;
};

/** Signs `payload` as a JWS compact token: `base64url(header).base64url(payload).base64url(signature)`. */
export const signLicenseToken = (
  payload: LicenseTokenPayload,
  privateKey: KeyObject,
  alg: LicenseTokenAlgorithm,
  options: SignOptions = {},
): string => {
  const signingInput = signingInputOf(payload, alg, options);
  const signature = sign(hashOf(alg), Buffer.from(signingInput, 'ascii'), { key: privateKey, ...PSS_PADDING });
  return `${signingInput}.${signature.toString('base64url')}`;
};

/**
 * {@link signLicenseToken} on libuv's thread pool: a server signing many tokens keeps its event
 * loop free while the RSA operation (milliseconds for 4096-bit keys) runs.
 */
export const signLicenseTokenAsync = (
  payload: LicenseTokenPayload,
  privateKey: KeyObject,
  alg: LicenseTokenAlgorithm,
  options: SignOptions = {},
): Promise<string> => {
  const signingInput = signingInputOf(payload, alg, options);
  return new Promise((resolve, reject) =>
    sign(hashOf(alg), Buffer.from(signingInput, 'ascii'), { key: privateKey, ...PSS_PADDING }, (error, signature) =>
      error ? reject(error) : resolve(`${signingInput}.${signature.toString('base64url')}`),
    ),
  );
};
