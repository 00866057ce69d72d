import type { LicenseManager } from '@lm/api-model';
import type { ReportType } from './definition';

/** A configuration as the summary report reads it: GetLicenseConfiguration's answer. */
export type ConfigurationSnapshot = LicenseManager.GetLicenseConfigurationResponse;

/** One resource's use of a configuration: ListUsageForLicenseConfiguration's rows, with their configuration. */
export interface UsageSnapshot {
  licenseConfigurationArn: string;
  usage: LicenseManager.LicenseConfigurationUsage[];
}

/** What one run reports on, read from licensing at the time of the run. */
export interface ReportData {
  configurations: ConfigurationSnapshot[];
  usage: UsageSnapshot[];
}

/** The columns of each report, in order (docs/reporting.md describes them). */
export const REPORT_COLUMNS: Record<ReportType, readonly string[]> = {
  LicenseConfigurationSummaryReport: [
    'LicenseConfigurationArn',
    'Name',
    'Status',
    'LicenseCountingType',
    'LicenseCount',
    'LicenseCountHardLimit',
    'ConsumedLicenses',
    'LicenseRules',
    'ConsumedLicensesByResourceType',
  ],
  LicenseConfigurationUsageReport: [
    'ResourceArn',
    'ResourceType',
    'ResourceOwnerId',
    'LicenseConfigurationArn',
    'ConsumedLicenses',
    'ResourceStatus',
    'AssociationTime',
  ],
};

type Cell = string | number | boolean | undefined;

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
function csvField(value: Cell): string {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csv = (rows: readonly (readonly Cell[])[]) =>
  rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';

const summaryRow = (c: ConfigurationSnapshot): Cell[] => [
  c.LicenseConfigurationArn,
  c.Name,
  c.Status,
  c.LicenseCountingType,
  c.LicenseCount,
  c.LicenseCountHardLimit,
  c.ConsumedLicenses,
  (c.LicenseRules ?? []).join(' '),
  (c.ConsumedLicenseSummaryList ?? [])
    .map((summary) => `${summary.ResourceType}=${summary.ConsumedLicenses ?? 0}`)
    .join(';'),
];

/** AssociationTime travels as epoch seconds; the report says it in ISO 8601. */
const isoOf = (epochSeconds: unknown) =>
  typeof epochSeconds === 'number' ? new Date(epochSeconds * 1000).toISOString() : undefined;

const usageRows = ({ licenseConfigurationArn, usage }: UsageSnapshot): Cell[][] =>
  usage.map((row) => [
    row.ResourceArn,
    row.ResourceType,
    row.ResourceOwnerId,
    licenseConfigurationArn,
    row.ConsumedLicenses,
    row.ResourceStatus,
    isoOf(row.AssociationTime),
  ]);

/** The CSV of one report type, a header line then a row per configuration (summary) or per associated resource (usage). */
export function renderReport(type: ReportType, data: ReportData): string {
  const rows =
    type === 'LicenseConfigurationSummaryReport' ? data.configurations.map(summaryRow) : data.usage.flatMap(usageRows);
  return csv([REPORT_COLUMNS[type], ...rows]);
}

/** The guide's key layout: Reports/<generator name>/<yyyy>/<mm>/<dd>/<report id>.csv, dated in UTC. */
export function reportKey(generatorName: string, runAt: Date, reportId: string): string {
  const [date] = runAt.toISOString().split('T');
  const [yyyy, mm, dd] = date.split('-');
  return `${reportKeyPrefix(generatorName)}${yyyy}/${mm}/${dd}/${reportId}.csv`;
}

export const reportKeyPrefix = (generatorName: string) => `Reports/${generatorName}/`;

/** One report per type in a run: the run's id and the type's short name. */
export const reportIdOf = (runId: string, type: ReportType) =>
  `${runId}-${type === 'LicenseConfigurationSummaryReport' ? 'summary' : 'usage'}`;
