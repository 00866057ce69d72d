import type { ApiId, ApiModel, MemberRef } from '@lm/api-model';
import { HIDDEN_DUE_TO_SECURITY_REASONS } from '@lm/contracts';

/**
 * What an audit record never shows, in one place. First the API models' `sensitive` trait (the
 * subscription APIs' tags, for instance), read generically. Then what the models carry without
 * marking it, because AWS models mark few secrets:
 * - shapes that hold a credential: License Manager's refresh and access tokens (TokenString),
 *   the licence tokens a checkout returns (SignedToken: they prove an entitlement offline), STS's
 *   web identity token, secret access key and session token;
 * - members that are credentials wherever they appear: the consumption token that checks a
 *   licence in or extends it, and any secret key, session token, password or private key
 *   (AWS KMS's PrivateKeyPlaintext, for one, should the subset ever grow to serve key pairs).
 */
const SECRET_SHAPES: Partial<Record<ApiId, readonly string[]>> = {
  'license-manager': ['TokenString', 'SignedToken'],
  sts: ['clientTokenType', 'accessKeySecretType', 'tokenType'],
};

const SECRET_MEMBERS = /^(LicenseConsumptionToken|SecretAccessKey|SessionToken|Password|PrivateKey\w*)$/i;

/**
 * A value of the API's shape as an audit record writes it: structure members in lowerCamelCase
 * (as CloudTrail writes request parameters and response elements), secrets replaced by
 * HIDDEN_DUE_TO_SECURITY_REASONS, members the shape does not declare left out (a record keeps
 * what the API defines, not whatever a client sent). Timestamps stay as they travelled.
 */
export function auditedValue(
  api: ApiModel,
  shapeName: string,
  value: Record<string, unknown>,
): Record<string, unknown> {
  return redactStructure(api, shapeName, value);
}

function isSecretShape(api: ApiModel, shapeName: string): boolean {
  return api.shapes[shapeName]?.sensitive === true || (SECRET_SHAPES[api.id]?.includes(shapeName) ?? false);
}

function redactStructure(api: ApiModel, shapeName: string, value: Record<string, unknown>): Record<string, unknown> {
  const members = api.shapes[shapeName]?.members ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(members)) {
    if (value[name] === undefined) continue;
    out[lowerFirst(name)] = SECRET_MEMBERS.test(name)
      ? HIDDEN_DUE_TO_SECURITY_REASONS
      : redact(api, member, value[name]);
  }
  return out;
}

function redact(api: ApiModel, ref: MemberRef, value: unknown): unknown {
  if (isSecretShape(api, ref.shape)) return HIDDEN_DUE_TO_SECURITY_REASONS;
  const shape = api.shapes[ref.shape];
  if (!shape || value === null || typeof value !== 'object') return value;
  if (shape.type === 'list' && Array.isArray(value)) return value.map((item) => redact(api, shape.member!, item));
  if (shape.type === 'map') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, redact(api, shape.value!, item)]),
    );
  }
  if (shape.type === 'structure') return redactStructure(api, ref.shape, value as Record<string, unknown>);
  return value;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
