import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue, validation } from '@lm/contracts';
import { parseLicenseConfigurationArn } from './arn';

/** The report types this build generates (the model's third, LicenseAssetGroupUsageReport, needs asset groups). */
export const REPORT_TYPES = ['LicenseConfigurationSummaryReport', 'LicenseConfigurationUsageReport'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** ReportFrequencyType of the model. */
export const REPORT_PERIODS = ['DAY', 'WEEK', 'MONTH', 'ONE_TIME'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** What a generator is told to report, as CreateLicenseManagerReportGenerator and Update give it. */
export interface ReportGeneratorDefinition {
  name: string;
  description?: string;
  types: ReportType[];
  licenseConfigurationArns: string[];
  frequency: { value: 1; period: ReportPeriod };
}

/** ReportGeneratorName of the model: 1 to 100 characters. */
const MAX_NAME_LENGTH = 100;
/** Not in the model: the console's limit on descriptions of License Manager resources. */
const MAX_DESCRIPTION_LENGTH = 400;
/** Not in the model: as many configurations as an account may own by default (the guide's 25 per Region). */
const MAX_CONFIGURATIONS = 25;
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
  return {
    name: nameOf(input.ReportGeneratorName),
    description: descriptionOf(input.Description),
    types: typesOf(input.Type),
    licenseConfigurationArns: configurationsOf(input.ReportContext, owner),
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
    if (type === 'LicenseAssetGroupUsageReport')
      throw invalidParameterValue(
        'LicenseAssetGroupUsageReport reports on license asset groups, which this deployment does not manage yet; choose LicenseConfigurationSummaryReport or LicenseConfigurationUsageReport.',
      );
    if (!(REPORT_TYPES as readonly string[]).includes(type))
      throw validation(`Report type ${type} is not one of ${REPORT_TYPES.join(', ')}.`);
    if (chosen.has(type as ReportType)) throw validation(`Report type ${type} is given twice.`);
    chosen.add(type as ReportType);
  }
  return [...chosen];
}

function configurationsOf(
  context: LicenseManager.ReportContext | undefined,
  owner: { accountId: string; region: string },
): string[] {
  if (context?.licenseAssetGroupArns?.length)
    throw invalidParameterValue(
      'ReportContext.licenseAssetGroupArns names license asset groups, which this deployment does not manage yet.',
    );
  if (context?.reportStartDate !== undefined || context?.reportEndDate !== undefined)
    throw invalidParameterValue(
      'ReportContext.reportStartDate and reportEndDate bound license asset group reports only; self-managed license reports are periodic snapshots.',
    );
  const arns = context?.licenseConfigurationArns ?? [];
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

function frequencyOf(frequency: LicenseManager.ReportFrequency | undefined): ReportGeneratorDefinition['frequency'] {
  const period = frequency?.period;
  if (!period || !(REPORT_PERIODS as readonly string[]).includes(period))
    throw validation(`ReportFrequency.period must be one of ${REPORT_PERIODS.join(', ')}.`);
  // The model: "The only supported value is 1" (one report per period).
  if (frequency?.value !== 1) throw validation('ReportFrequency.value must be 1: one report per period.');
  return { value: 1, period: period as ReportPeriod };
}
