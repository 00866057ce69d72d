import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue } from '@lm/contracts';

export type CountingType = LicenseManager.LicenseCountingType;
export type Tenancy = 'EC2-Default' | 'EC2-DedicatedInstance' | 'EC2-DedicatedHost';

/** A license rule (`#name=value`) once parsed. */
export type LicenseRule =
  | { name: 'allowedTenancy'; value: Tenancy[] }
  | { name: 'honorVcpuOptimization'; value: boolean }
  | { name: IntegerRuleName; value: number };

type IntegerRuleName =
  | 'licenseAffinityToHost'
  | 'minimumVcpus'
  | 'maximumVcpus'
  | 'minimumCores'
  | 'maximumCores'
  | 'minimumSockets'
  | 'maximumSockets';

export type LicenseRuleName = LicenseRule['name'];

/** Which rule applies to which counting type: the table of the guide ("Parameters and rules"). */
const RULES_BY_COUNTING_TYPE: Record<LicenseRuleName, readonly CountingType[]> = {
  licenseAffinityToHost: ['Core', 'Socket'],
  maximumCores: ['Core', 'Instance'],
  minimumCores: ['Core', 'Instance'],
  maximumSockets: ['Instance', 'Socket'],
  minimumSockets: ['Instance', 'Socket'],
  maximumVcpus: ['Instance', 'vCPU'],
  minimumVcpus: ['Instance', 'vCPU'],
  allowedTenancy: ['Core', 'Instance', 'Socket', 'vCPU'],
  honorVcpuOptimization: ['vCPU'],
};

const TENANCIES: readonly Tenancy[] = ['EC2-Default', 'EC2-DedicatedInstance', 'EC2-DedicatedHost'];
/** Cores and sockets are only visible, so only countable, on a Dedicated Host. */
const TENANCIES_BY_COUNTING_TYPE: Record<CountingType, readonly Tenancy[]> = {
  Core: ['EC2-DedicatedHost'],
  Socket: ['EC2-DedicatedHost'],
  Instance: TENANCIES,
  vCPU: TENANCIES,
};

const INTEGER_RANGES: Record<IntegerRuleName, [number, number]> = {
  licenseAffinityToHost: [1, 180],
  minimumVcpus: [1, 10_000],
  maximumVcpus: [1, 10_000],
  minimumCores: [1, 10_000],
  maximumCores: [1, 10_000],
  minimumSockets: [1, 10_000],
  maximumSockets: [1, 10_000],
};

const MIN_MAX_PAIRS: [IntegerRuleName, IntegerRuleName][] = [
  ['minimumVcpus', 'maximumVcpus'],
  ['minimumCores', 'maximumCores'],
  ['minimumSockets', 'maximumSockets'],
];

const RULE_SYNTAX = /^#([A-Za-z]+)=(.+)$/;

function parseRule(text: string, countingType: CountingType): LicenseRule {
  const match = RULE_SYNTAX.exec(text.trim());
  if (!match) throw invalidParameterValue(`License rule "${text}" is not of the form #name=value.`);
  const [, name, rawValue] = match;
  const allowedFor = RULES_BY_COUNTING_TYPE[name as LicenseRuleName];
  if (!allowedFor) {
    throw invalidParameterValue(
      `Unknown license rule ${name}. Valid rules: ${Object.keys(RULES_BY_COUNTING_TYPE).join(', ')}.`,
    );
  }
  if (!allowedFor.includes(countingType)) {
    throw invalidParameterValue(`License rule ${name} is not valid for counting type ${countingType}.`);
  }
  const value = rawValue.trim();
  if (name === 'allowedTenancy') {
    const tenancies = value.split(/[|,]/).map((t) => t.trim());
    for (const tenancy of tenancies) {
      if (!TENANCIES.includes(tenancy as Tenancy)) {
        throw invalidParameterValue(`Tenancy ${tenancy} is not valid. Valid values: ${TENANCIES.join(', ')}.`);
      }
      if (!TENANCIES_BY_COUNTING_TYPE[countingType].includes(tenancy as Tenancy)) {
        throw invalidParameterValue(
          `Counting type ${countingType} requires tenancy EC2-DedicatedHost; ${tenancy} is not allowed.`,
        );
      }
    }
    return { name, value: [...new Set(tenancies)] as Tenancy[] };
  }
  if (name === 'honorVcpuOptimization') {
    const lower = value.toLowerCase();
    if (lower !== 'true' && lower !== 'false')
      throw invalidParameterValue(`Rule honorVcpuOptimization takes True or False, not ${value}.`);
    return { name, value: lower === 'true' };
  }
  const [min, max] = INTEGER_RANGES[name as IntegerRuleName];
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw invalidParameterValue(`Rule ${name} takes an integer from ${min} to ${max}, not ${value}.`);
  }
  return { name: name as IntegerRuleName, value: number };
}

/**
 * Parses and validates a configuration's rules against its counting type: rule names, which
 * counting type each applies to, value ranges, tenancy values, no rule given twice, min <= max.
 */
export function parseLicenseRules(rules: readonly string[], countingType: CountingType): LicenseRule[] {
  const parsed = rules.map((rule) => parseRule(rule, countingType));
  const seen = new Set<string>();
  for (const rule of parsed) {
    if (seen.has(rule.name)) throw invalidParameterValue(`License rule ${rule.name} is given more than once.`);
    seen.add(rule.name);
  }
  const byName = new Map(parsed.map((rule) => [rule.name, rule.value]));
  for (const [minName, maxName] of MIN_MAX_PAIRS) {
    const min = byName.get(minName) as number | undefined;
    const max = byName.get(maxName) as number | undefined;
    if (min !== undefined && max !== undefined && min > max) {
      throw invalidParameterValue(`Rule ${minName} (${min}) is greater than ${maxName} (${max}).`);
    }
  }
  return parsed;
}

/**
 * After creation only licenseAffinityToHost may be added or changed (API model,
 * UpdateLicenseConfiguration.LicenseRules); every other rule must stay as it was.
 */
export function assertOnlyAffinityChanged(
  previous: readonly string[],
  next: readonly string[],
  countingType: CountingType,
): void {
  const others = (rules: readonly string[]) =>
    parseLicenseRules(rules, countingType)
      .filter((rule) => rule.name !== 'licenseAffinityToHost')
      .map((rule) => `${rule.name}=${JSON.stringify(rule.value)}`)
      .sort()
      .join(';');
  if (others(previous) !== others(next)) {
    throw invalidParameterValue(
      'The only license rule that can be added or changed after creation is licenseAffinityToHost.',
    );
  }
}
