import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue, validation } from '@lm/contracts';
import { parseLicenseAssetGroupArn, parseLicenseConfigurationArn } from './arn';

/** The model's report types: two on license configurations, one on license asset groups. */
export const REPORT_TYPES = [
  'LicenseConfigurationSummaryReport',
  'LicenseConfigurationUsageReport',
  'LicenseAssetGroupUsageReport',
] as const;
export type ReportType = (typeof REPORT_TYPES)[number];
const CONFIGURATION_REPORTS: readonly ReportType[] = [
  'LicenseConfigurationSummaryReport',
  'LicenseConfigurationUsageReport',
];

/** ReportFrequencyType of the model. */
export const REPORT_PERIODS = ['DAY', 'WEEK', 'MONTH', 'ONE_TIME'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** What a generator is told to report, as CreateLicenseManagerReportGenerator and Update give it. */
export interface ReportGeneratorDefinition {
  name: string;
  description?: string;
  types: ReportType[];
  licenseConfigurationArns: string[];
  /** LicenseAssetGroupUsageReport: its groups, and the discovery times it keeps (ISO 8601, each bound optional). */
  licenseAssetGroupArns?: string[];
  reportStartDate?: string;
  reportEndDate?: string;
  frequency: { value: 1; period: ReportPeriod };
}

/** ReportGeneratorName of the model: 1 to 100 characters. */
const MAX_NAME_LENGTH = 100;
/** Not in the model: the console's limit on descriptions of License Manager resources. */
const MAX_DESCRIPTION_LENGTH = 400;
/** Not in the model: as many configurations as an account may own by default (the guide's 25 per Region). */
const MAX_CONFIGURATIONS = 25;
/** Not in the model: as many groups as configurations. */
const MAX_ASSET_GROUPS = 25;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * The definition a request gives, checked against the model and the guide; `region` and
 * `accountId` are the caller's, to which every configuration of the report must belong.
 */
export function definitionOf(
  input: Pick<
    LicenseManager.CreateLicenseManagerReportGeneratorRequest,
    'ReportGeneratorName' | 'Description' | 'Type' | 'ReportContext' | 'ReportFrequency'
  >,
  owner: { accountId: string; region: string },
): ReportGeneratorDefinition {
  const types = typesOf(input.Type);
  // The groups first: a request for an asset group report without groups is told what it lacks.
  const assetGroups = assetGroupsOf(input.ReportContext, owner, types.includes('LicenseAssetGroupUsageReport'));
  return {
    name: nameOf(input.ReportGeneratorName),
    description: descriptionOf(input.Description),
    types,
    licenseConfigurationArns: configurationsOf(
      input.ReportContext,
      owner,
      types.some((type) => CONFIGURATION_REPORTS.includes(type)),
    ),
    ...assetGroups,
    frequency: frequencyOf(input.ReportFrequency),
  };
}

function nameOf(name: string | undefined): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > MAX_NAME_LENGTH)
    throw validation(`ReportGeneratorName must have 1 to ${MAX_NAME_LENGTH} characters.`);
  // The name is a folder of the reports' key (Reports/<name>/<yyyy>/<mm>/<dd>/...): a slash would move them elsewhere.
  if (name.includes('/') || name.includes('\\') || CONTROL_CHARACTERS.test(name) || /^\.+$/.test(name))
    throw validation(
      'ReportGeneratorName names the folder its reports are written to (Reports/<name>/...): it cannot contain / or \\ or control characters, or be only dots.',
    );
  return name;
}

function descriptionOf(description: string | undefined): string | undefined {
  if (description !== undefined && description.length > MAX_DESCRIPTION_LENGTH)
    throw validation(`Description can have at most ${MAX_DESCRIPTION_LENGTH} characters.`);
  return description;
}

function typesOf(types: readonly string[] | undefined): ReportType[] {
  if (!types || types.length === 0)
    throw validation(`Type must name at least one report type: ${REPORT_TYPES.join(', ')}.`);
  const chosen = new Set<ReportType>();
  for (const type of types) {
    if (!(REPORT_TYPES as readonly string[]).includes(type))
      throw validation(`Report type ${type} is not one of ${REPORT_TYPES.join(', ')}.`);
    if (chosen.has(type as ReportType)) throw validation(`Report type ${type} is given twice.`);
    chosen.add(type as ReportType);
  }
  return [...chosen];
}

/** The configurations of the configuration reports (none when Type has neither, and then none may be named). */
function configurationsOf(
  context: LicenseManager.ReportContext | undefined,
  owner: { accountId: string; region: string },
  wanted: boolean,
): string[] {
  const arns = context?.licenseConfigurationArns ?? [];
  if (!wanted && arns.length > 0)
    throw validation(
      'ReportContext.licenseConfigurationArns names configurations for LicenseConfigurationSummaryReport or LicenseConfigurationUsageReport, which Type does not include.',
    );
  if (!wanted) return [];
  if (arns.length === 0)
    throw validation('ReportContext.licenseConfigurationArns must name the license configurations to report on.');
  if (arns.length > MAX_CONFIGURATIONS)
    throw validation(`ReportContext.licenseConfigurationArns can name at most ${MAX_CONFIGURATIONS} configurations.`);
  const seen = new Set<string>();
  for (const arn of arns) {
    const parts = parseLicenseConfigurationArn(arn);
    // Another account's configuration is told not to exist, as licensing tells it: existence is not disclosed.
    if (!parts || parts.region !== owner.region || parts.accountId !== owner.accountId)
      throw invalidParameterValue(`License configuration ${arn} does not exist.`);
    if (seen.has(arn)) throw validation(`License configuration ${arn} is given twice.`);
    seen.add(arn);
  }
  return arns;
}

/** A ReportContext date: epoch seconds on the wire, kept as ISO 8601. */
function dateOf(value: unknown, member: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const at = typeof value === 'number' ? new Date(value * 1000) : new Date(String(value));
  if (Number.isNaN(at.getTime())) throw validation(`ReportContext.${member} is not a date.`);
  return at.toISOString();
}

/** The groups of a LicenseAssetGroupUsageReport and its date range (none of them without one). */
function assetGroupsOf(
  context: LicenseManager.ReportContext | undefined,
  owner: { accountId: string; region: string },
  wanted: boolean,
): Pick<ReportGeneratorDefinition, 'licenseAssetGroupArns' | 'reportStartDate' | 'reportEndDate'> {
  const arns = context?.licenseAssetGroupArns ?? [];
  const reportStartDate = dateOf(context?.reportStartDate, 'reportStartDate');
  const reportEndDate = dateOf(context?.reportEndDate, 'reportEndDate');
  if (!wanted) {
    if (arns.length > 0)
      throw invalidParameterValue(
        'ReportContext.licenseAssetGroupArns names license asset groups for a LicenseAssetGroupUsageReport, which Type does not include.',
      );
    if (reportStartDate !== undefined || reportEndDate !== undefined)
      throw invalidParameterValue(
        'ReportContext.reportStartDate and reportEndDate bound license asset group reports only; self-managed license reports are periodic snapshots.',
      );
    return {};
  }
  if (arns.length === 0)
    throw invalidParameterValue(
      'LicenseAssetGroupUsageReport needs ReportContext.licenseAssetGroupArns: the license asset groups to report on.',
    );
  if (arns.length > MAX_ASSET_GROUPS)
    throw validation(`ReportContext.licenseAssetGroupArns can name at most ${MAX_ASSET_GROUPS} license asset groups.`);
  const seen = new Set<string>();
  for (const arn of arns) {
    const parts = parseLicenseAssetGroupArn(arn);
    // Another account's group is told not to exist, as licensing tells it.
    if (!parts || parts.region !== owner.region || parts.accountId !== owner.accountId)
      throw invalidParameterValue(`License asset group ${arn} does not exist.`);
    if (seen.has(arn)) throw validation(`License asset group ${arn} is given twice.`);
    seen.add(arn);
  }
  if (reportStartDate !== undefined && reportEndDate !== undefined && reportStartDate > reportEndDate)
    throw validation('ReportContext.reportStartDate must not be after reportEndDate.');
  return { licenseAssetGroupArns: arns, reportStartDate, reportEndDate };
}

function frequencyOf(frequency: LicenseManager.ReportFrequency | undefined): ReportGeneratorDefinition['frequency'] {
  const period = frequency?.period;
  if (!period || !(REPORT_PERIODS as readonly string[]).includes(period))
    throw validation(`ReportFrequency.period must be one of ${REPORT_PERIODS.join(', ')}.`);
  // The model: "The only supported value is 1" (one report per period).
  if (frequency?.value !== 1) throw validation('ReportFrequency.value must be 1: one report per period.');
  return { value: 1, period: period as ReportPeriod };
}
