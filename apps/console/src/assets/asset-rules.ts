import type { LicenseManager } from '@lm/api-model';

type Rule = LicenseManager.LicenseAssetRule;
type Matching = LicenseManager.MatchingRuleStatement;

/** The assets a rule discovers: its statement's member of RuleStatement, with the guide's name. */
export const STATEMENT_TYPES = [
  { value: 'InstanceRuleStatement', label: 'Instance' },
  { value: 'LicenseRuleStatement', label: 'License' },
  { value: 'LicenseConfigurationRuleStatement', label: 'License configuration' },
] as const;
export type StatementType = (typeof STATEMENT_TYPES)[number]['value'];

/** The keys a matching statement of each type takes (the guide's table). */
export const KEYS: Record<StatementType, string[]> = {
  InstanceRuleStatement: [
    'Platform',
    'EC2BillingProduct',
    'MarketPlaceProductCode',
    'AMIId',
    'InstanceType',
    'InstanceId',
    'HostId',
    'AccountId',
  ],
  LicenseRuleStatement: ['LicenseArn', 'ProductSKU', 'Issuer', 'Beneficiary', 'LicenseStatus', 'HomeRegion'],
  LicenseConfigurationRuleStatement: ['LicenseConfigurationArn', 'AccountId'],
};

/** A rule with one matching statement: what the console's rule form adds. */
export function matchingRule(type: StatementType, statement: Matching): Rule {
  return { RuleStatement: { [type]: { MatchingRuleStatement: statement } } };
}

const matchingText = (m: Matching) =>
  `${m.KeyToMatch} ${m.Constraint === 'NOT_EQUALS' ? 'is not' : 'is'} ${m.ValueToMatch.join(' or ')}`;

/** A rule in words: "Instance: Platform is Windows", "License: all of (…)", a script as written. */
export function describeRule(rule: Rule): string {
  const type = STATEMENT_TYPES.find((t) => rule.RuleStatement[t.value]);
  if (!type) return 'An empty rule';
  const statement = rule.RuleStatement[type.value] as LicenseManager.InstanceRuleStatement;
  const parts = (group: LicenseManager.AndRuleStatement) => [
    ...(group.MatchingRuleStatements ?? []).map(matchingText),
    ...(group.ScriptRuleStatements ?? []).map((s) => `${s.KeyToMatch}: ${s.Script}`),
  ];
  const text = statement.MatchingRuleStatement
    ? matchingText(statement.MatchingRuleStatement)
    : statement.ScriptRuleStatement
      ? `${statement.ScriptRuleStatement.KeyToMatch}: ${statement.ScriptRuleStatement.Script}`
      : statement.AndRuleStatement
        ? `all of (${parts(statement.AndRuleStatement).join('; ')})`
        : `any of (${parts(statement.OrRuleStatement ?? {}).join('; ')})`;
  return `${type.label}: ${text}`;
}
