import { randomInt } from 'node:crypto';

const SUFFIX_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_ARN = /^arn:aws:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;
const SUFFIXED = /^(.+)-[A-Za-z0-9]{6}$/;

/** arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>, as Secrets Manager names a new secret. */
export function newSecretArn(region: string, accountId: string, name: string): string {
  const suffix = Array.from({ length: 6 }, () => SUFFIX_CHARACTERS[randomInt(SUFFIX_CHARACTERS.length)]).join('');
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}

/**
 * What a SecretId may name, most specific first: a full ARN (the name, then the suffix), or a
 * partial ARN without the suffix, or a plain name. A partial ARN whose name itself ends in a
 * hyphen and six characters reads as a full one first, as in Secrets Manager. Another account's
 * or Region's ARN names nothing the caller can see.
 */
export type SecretCandidate = { name: string; arn?: string };

export function candidatesOf(secretId: string, owner: { accountId: string; region: string }): SecretCandidate[] {
  const arn = SECRET_ARN.exec(secretId);
  if (!arn) return [{ name: secretId }];
  const [, region, accountId, rest] = arn;
  if (region !== owner.region || accountId !== owner.accountId) return [];
  const suffixed = SUFFIXED.exec(rest);
  return suffixed ? [{ name: suffixed[1], arn: secretId }, { name: rest }] : [{ name: rest }];
}
