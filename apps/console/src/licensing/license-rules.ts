import type { LicenseManager } from '@lm/api-model';

export type CountingType = LicenseManager.LicenseCountingType;

/** The counting types in the guide's words ("License type"), and what "Number of <option>" counts. */
export const COUNTING_TYPES: { value: CountingType; label: string; unit: string }[] = [
  { value: 'vCPU', label: 'vCPUs', unit: 'vCPUs' },
  { value: 'Core', label: 'Cores', unit: 'cores' },
  { value: 'Socket', label: 'Sockets', unit: 'sockets' },
  { value: 'Instance', label: 'Instances', unit: 'instances' },
];

/** A counting type in the guide's words: Cores for Core. */
export const countingTypeLabel = (value: string | undefined) =>
  COUNTING_TYPES.find((type) => type.value === value)?.label ?? value ?? '—';

export type RuleValueKind = 'integer' | 'tenancy' | 'boolean';

export interface RuleType {
  name: string;
  label: string;
  kind: RuleValueKind;
  countingTypes: readonly CountingType[];
}

/**
 * The guide's table "which license rules are available for each counting type", with its console
 * names. It only decides what the form offers: values (ranges, min <= max, tenancy per counting
 * type) are the API's to check, and the form shows what it answers.
 */
export const RULE_TYPES: readonly RuleType[] = [
  {
    name: 'licenseAffinityToHost',
    label: 'License affinity to host (in days)',
    kind: 'integer',
    countingTypes: ['Core', 'Socket'],
  },
  { name: 'maximumCores', label: 'Maximum cores', kind: 'integer', countingTypes: ['Core', 'Instance'] },
  { name: 'maximumSockets', label: 'Maximum sockets', kind: 'integer', countingTypes: ['Instance', 'Socket'] },
  { name: 'maximumVcpus', label: 'Maximum vCPUs', kind: 'integer', countingTypes: ['Instance', 'vCPU'] },
  { name: 'minimumCores', label: 'Minimum cores', kind: 'integer', countingTypes: ['Core', 'Instance'] },
  { name: 'minimumSockets', label: 'Minimum sockets', kind: 'integer', countingTypes: ['Instance', 'Socket'] },
  { name: 'minimumVcpus', label: 'Minimum vCPUs', kind: 'integer', countingTypes: ['Instance', 'vCPU'] },
  { name: 'allowedTenancy', label: 'Tenancy', kind: 'tenancy', countingTypes: ['Core', 'Instance', 'Socket', 'vCPU'] },
  { name: 'honorVcpuOptimization', label: 'vCPU Optimization', kind: 'boolean', countingTypes: ['vCPU'] },
];

/**
 * The guide's tenancy names, console name (API name), and the counting types each is for: "Dedicated
 * Hosts are required if the counting type is Cores or Sockets".
 */
export const TENANCIES: { value: string; label: string; countingTypes: readonly CountingType[] }[] = [
  { value: 'EC2-Default', label: 'Shared (EC2-Default)', countingTypes: ['Instance', 'vCPU'] },
  {
    value: 'EC2-DedicatedInstance',
    label: 'Dedicated Instance (EC2-DedicatedInstance)',
    countingTypes: ['Instance', 'vCPU'],
  },
  {
    value: 'EC2-DedicatedHost',
    label: 'Dedicated Host (EC2-DedicatedHost)',
    countingTypes: ['Core', 'Instance', 'Socket', 'vCPU'],
  },
];

export const tenanciesFor = (countingType: CountingType) =>
  TENANCIES.filter((tenancy) => tenancy.countingTypes.includes(countingType));

export const rulesFor = (countingType: CountingType) =>
  RULE_TYPES.filter((rule) => rule.countingTypes.includes(countingType));

export interface Rule {
  name: string;
  value: string;
}

/** A rule as the API takes it in LicenseRules: `#name=value`. */
export const ruleText = (rule: Rule) => `#${rule.name}=${rule.value}`;

/** `#name=value` back into its parts, and the rule's console name where the table has it. */
export function parseRuleText(text: string): Rule & { label: string } {
  const match = /^#([^=]+)=(.*)$/.exec(text);
  const name = match?.[1] ?? text;
  const value = match?.[2] ?? '';
  return { name, value, label: RULE_TYPES.find((rule) => rule.name === name)?.label ?? name };
}
