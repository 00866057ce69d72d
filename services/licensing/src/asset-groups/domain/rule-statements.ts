import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue } from '@lm/contracts';
import { parseScript, scriptHolds, ScriptSyntaxError, type ScriptNode } from './script-language';

/** What a group holds: instances, seller-issued licences and license configurations (ListAssets' AssetType). */
export const ASSET_TYPES = ['Instance', 'License', 'LicenseConfiguration'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** An asset as rules see it: each key of its type with its values (a key it has none of is absent). */
export interface Asset {
  type: AssetType;
  arn: string;
  values: Readonly<Partial<Record<string, readonly string[]>>>;
}

/** The EC2 billing products the model lists for EC2BillingProduct. */
export const EC2_BILLING_PRODUCTS = [
  'windows-server-enterprise',
  'windows-byol',
  'rhel',
  'rhel-byol',
  'rhel-high-availability',
  'ubuntu-pro',
  'suse-linux',
  'sql-server-standard',
  'sql-server-enterprise',
] as const;

const LICENSE_STATUSES: readonly LicenseManager.LicenseStatus[] = [
  'AVAILABLE',
  'PENDING_AVAILABLE',
  'DEACTIVATED',
  'SUSPENDED',
  'EXPIRED',
  'PENDING_DELETE',
  'DELETED',
];

/** A key's accepted values (without regard to case; `codes` also accepts what the pattern matches), their shape, or any. */
type ValueCheck = { accepted: readonly string[]; codes?: RegExp } | { pattern: RegExp; shape: string } | 'any';
const ACCOUNT_ID: ValueCheck = { pattern: /^\d{12}$/, shape: 'a 12-digit account ID' };

/** The keys of each statement type (the model's KeyToMatch documentation) and the values each accepts. */
export const KEYS_TO_MATCH: Record<AssetType, Readonly<Record<string, ValueCheck>>> = {
  Instance: {
    Platform: { accepted: ['Windows', 'Linux'] },
    // The model's product names, or the billing product codes instances are reported with (bp-...).
    EC2BillingProduct: { accepted: EC2_BILLING_PRODUCTS, codes: /^bp-[0-9a-f]{8}$/ },
    MarketPlaceProductCode: 'any',
    AMIId: { pattern: /^ami-[0-9a-zA-Z]+$/, shape: 'an AMI ID (ami-...)' },
    InstanceType: 'any',
    InstanceId: { pattern: /^(i|mi)-[0-9a-zA-Z]+$/, shape: 'an instance ID (i-... or mi-...)' },
    HostId: { pattern: /^h-[0-9a-zA-Z]+$/, shape: 'a Dedicated Host ID (h-...)' },
    AccountId: ACCOUNT_ID,
  },
  License: {
    LicenseArn: { pattern: /^arn:aws[a-z-]*:license-manager:.+:license[:/]l-[0-9a-zA-Z]+$/, shape: 'a licence ARN' },
    ProductSKU: 'any',
    Issuer: 'any',
    Beneficiary: 'any',
    LicenseStatus: { accepted: LICENSE_STATUSES },
    HomeRegion: { pattern: /^[a-z]{2}(-[a-z]+)+-\d+$/, shape: 'a Region name' },
  },
  LicenseConfiguration: {
    LicenseConfigurationArn: {
      pattern: /^arn:aws[a-z-]*:license-manager:[a-z0-9-]+:\d{12}:license-configuration[:/]lic-[0-9a-f]+$/,
      shape: 'a license configuration ARN',
    },
    AccountId: ACCOUNT_ID,
  },
};

/** The rule statement members of RuleStatement, and the asset type each discovers. */
const STATEMENT_TYPES = {
  InstanceRuleStatement: 'Instance',
  LicenseRuleStatement: 'License',
  LicenseConfigurationRuleStatement: 'LicenseConfiguration',
} as const satisfies Record<keyof LicenseManager.RuleStatement, AssetType>;

export const CONSTRAINTS = ['EQUALS', 'NOT_EQUALS'] as const;
/** The guide: "Each ruleset contains up to 5 rules". */
export const MAX_RULES_PER_RULESET = 5;

type TypedStatement = LicenseManager.InstanceRuleStatement;

/** The one member of a statement that is set; none or several are refused, naming `where`. */
function onlyMember<T extends object>(statement: T | undefined, where: string): [keyof T & string, unknown] {
  const set = Object.entries(statement ?? {}).filter(([, value]) => value !== undefined && value !== null);
  if (set.length !== 1)
    throw invalidParameterValue(`${where} must set exactly one of its members (it sets ${set.length}).`);
  return set[0] as [keyof T & string, unknown];
}

/** The names a script of an asset type may read: its keys, `value` and `values`. */
const scriptNames = (type: AssetType) => new Set([...Object.keys(KEYS_TO_MATCH[type]), 'value', 'values']);

function checkKey(type: AssetType, key: unknown, where: string): string {
  if (typeof key !== 'string' || !Object.hasOwn(KEYS_TO_MATCH[type], key))
    throw invalidParameterValue(
      `${where}.KeyToMatch ${String(key)} is not a key of a ${type} rule. Keys: ${Object.keys(KEYS_TO_MATCH[type]).join(', ')}.`,
    );
  return key;
}

function validateMatching(type: AssetType, statement: LicenseManager.MatchingRuleStatement, where: string): void {
  const key = checkKey(type, statement.KeyToMatch, where);
  if (!(CONSTRAINTS as readonly string[]).includes(statement.Constraint))
    throw invalidParameterValue(`${where}.Constraint must be EQUALS or NOT_EQUALS (not ${statement.Constraint}).`);
  const values = statement.ValueToMatch ?? [];
  if (values.length === 0) throw invalidParameterValue(`${where}.ValueToMatch needs at least one value.`);
  const check = KEYS_TO_MATCH[type][key];
  for (const value of values) {
    if (typeof value !== 'string' || value.trim() === '')
      throw invalidParameterValue(`${where}.ValueToMatch must not hold an empty value.`);
    if (check === 'any') continue;
    if (
      'accepted' in check &&
      !check.accepted.some((a) => a.toLowerCase() === value.toLowerCase()) &&
      !check.codes?.test(value)
    )
      throw invalidParameterValue(`${where}: ${value} is not a ${key}. Accepted: ${check.accepted.join(', ')}.`);
    if ('pattern' in check && !check.pattern.test(value))
      throw invalidParameterValue(`${where}: ${value} is not ${check.shape}.`);
  }
}

function validateScript(type: AssetType, statement: LicenseManager.ScriptRuleStatement, where: string): void {
  checkKey(type, statement.KeyToMatch, where);
  try {
    parseScript(statement.Script ?? '', scriptNames(type));
  } catch (error) {
    if (error instanceof ScriptSyntaxError) throw invalidParameterValue(`${where}.Script: ${error.message}.`);
    throw error;
  }
}

function validateCombination(type: AssetType, statement: LicenseManager.AndRuleStatement, where: string): void {
  const matching = statement.MatchingRuleStatements ?? [];
  const scripts = statement.ScriptRuleStatements ?? [];
  if (matching.length + scripts.length === 0)
    throw invalidParameterValue(`${where} needs at least one matching or script statement.`);
  matching.forEach((m, i) => validateMatching(type, m, `${where}.MatchingRuleStatements[${i}]`));
  scripts.forEach((s, i) => validateScript(type, s, `${where}.ScriptRuleStatements[${i}]`));
}

/** Checks a ruleset's rules against the model and the guide; InvalidParameterValueException names what is wrong. */
export function validateRules(rules: readonly LicenseManager.LicenseAssetRule[] | undefined): void {
  if (!rules || rules.length === 0) throw invalidParameterValue('Rules must hold at least one rule.');
  if (rules.length > MAX_RULES_PER_RULESET)
    throw invalidParameterValue(`A ruleset holds at most ${MAX_RULES_PER_RULESET} rules (${rules.length} given).`);
  rules.forEach((rule, i) => {
    const where = `Rules[${i}].RuleStatement`;
    const [member, typed] = onlyMember(rule.RuleStatement, where);
    const type = STATEMENT_TYPES[member as keyof typeof STATEMENT_TYPES];
    const [kind, statement] = onlyMember(typed as TypedStatement, `${where}.${member}`);
    const path = `${where}.${member}.${kind}`;
    if (kind === 'MatchingRuleStatement')
      validateMatching(type, statement as LicenseManager.MatchingRuleStatement, path);
    else if (kind === 'ScriptRuleStatement')
      validateScript(type, statement as LicenseManager.ScriptRuleStatement, path);
    else validateCombination(type, statement as LicenseManager.AndRuleStatement, path);
  });
}

const valuesOf = (asset: Asset, key: string) => asset.values[key] ?? [];
const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** EQUALS: one of the asset's values is among ValueToMatch; NOT_EQUALS: none is (an asset without the key too). */
function matches(asset: Asset, statement: LicenseManager.MatchingRuleStatement): boolean {
  const hit = valuesOf(asset, statement.KeyToMatch).some((v) => statement.ValueToMatch.some((w) => sameText(v, w)));
  return statement.Constraint === 'EQUALS' ? hit : !hit;
}

/** Parsed scripts by asset type and text: a group evaluated over many assets parses each once. */
const parsedScripts = new Map<string, ScriptNode>();
const PARSED_SCRIPTS_KEPT = 1000;

function parsedScript(type: AssetType, script: string): ScriptNode {
  const key = `${type}\n${script}`;
  let parsed = parsedScripts.get(key);
  if (!parsed) {
    if (parsedScripts.size >= PARSED_SCRIPTS_KEPT) parsedScripts.clear();
    parsed = parseScript(script, scriptNames(type));
    parsedScripts.set(key, parsed);
  }
  return parsed;
}

function scriptMatches(asset: Asset, statement: LicenseManager.ScriptRuleStatement): boolean {
  const keyValues = valuesOf(asset, statement.KeyToMatch);
  const scope: Record<string, string | null | string[]> = { value: keyValues[0] ?? null, values: [...keyValues] };
  for (const key of Object.keys(KEYS_TO_MATCH[asset.type])) scope[key] = valuesOf(asset, key)[0] ?? null;
  return scriptHolds(parsedScript(asset.type, statement.Script), scope);
}

function combinationMatches(asset: Asset, statement: LicenseManager.AndRuleStatement, every: boolean): boolean {
  const results = [
    ...(statement.MatchingRuleStatements ?? []).map((m) => () => matches(asset, m)),
    ...(statement.ScriptRuleStatements ?? []).map((s) => () => scriptMatches(asset, s)),
  ];
  return every ? results.every((r) => r()) : results.some((r) => r());
}

/** Whether one rule discovers the asset: a rule of another asset type never does. */
export function ruleMatches(rule: LicenseManager.LicenseAssetRule, asset: Asset): boolean {
  const member = (Object.keys(STATEMENT_TYPES) as (keyof typeof STATEMENT_TYPES)[]).find(
    (m) => STATEMENT_TYPES[m] === asset.type,
  )!;
  const statement = rule.RuleStatement[member] as TypedStatement | undefined;
  if (!statement) return false;
  if (statement.MatchingRuleStatement) return matches(asset, statement.MatchingRuleStatement);
  if (statement.ScriptRuleStatement) return scriptMatches(asset, statement.ScriptRuleStatement);
  if (statement.AndRuleStatement) return combinationMatches(asset, statement.AndRuleStatement, true);
  if (statement.OrRuleStatement) return combinationMatches(asset, statement.OrRuleStatement, false);
  return false;
}

/** A ruleset discovers an asset when one of its rules does (rules add to what a ruleset discovers). */
export const rulesetDiscovers = (rules: readonly LicenseManager.LicenseAssetRule[], asset: Asset): boolean =>
  rules.some((rule) => ruleMatches(rule, asset));
