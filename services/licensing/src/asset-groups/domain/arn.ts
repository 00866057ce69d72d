import { createHash } from 'node:crypto';

/** The guide's ARNs: `…:ruleset/<id>` and `…:license-asset-group/<id>`. */
const RULESET_ARN = /^arn:aws:license-manager:([a-z0-9-]+):(\d{12}):ruleset\/(lar-[0-9a-f]{32})$/;
const GROUP_ARN = /^arn:aws:license-manager:([a-z0-9-]+):(\d{12}):license-asset-group\/(lag-[0-9a-f]{32})$/;

export interface ArnParts {
  region: string;
  accountId: string;
  id: string;
}

const partsOf = (pattern: RegExp, arn: string): ArnParts | undefined => {
  const match = pattern.exec(arn);
  return match ? { region: match[1], accountId: match[2], id: match[3] } : undefined;
};

/**
 * A created resource's id, from the caller's ClientToken: a retry of a create names the same
 * stream, so it finds what the first request made instead of making another.
 */
const idOfClientToken = (prefix: string, accountId: string, region: string, clientToken: string) =>
  `${prefix}-${createHash('sha256').update(`${accountId}\n${region}\n${clientToken}`).digest('hex').slice(0, 32)}`;

export const rulesetIdFor = (accountId: string, region: string, clientToken: string) =>
  idOfClientToken('lar', accountId, region, clientToken);
export const groupIdFor = (accountId: string, region: string, clientToken: string) =>
  idOfClientToken('lag', accountId, region, clientToken);

export const rulesetArn = (region: string, accountId: string, id: string) =>
  `arn:aws:license-manager:${region}:${accountId}:ruleset/${id}`;
export const groupArn = (region: string, accountId: string, id: string) =>
  `arn:aws:license-manager:${region}:${accountId}:license-asset-group/${id}`;

export const parseRulesetArn = (arn: string) => partsOf(RULESET_ARN, arn);
export const parseGroupArn = (arn: string) => partsOf(GROUP_ARN, arn);
