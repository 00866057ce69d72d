import type { LicenseManager } from '@lm/api-model';
import type { ReportType } from './definition';

/** A configuration as the summary report reads it: GetLicenseConfiguration's answer. */
export type ConfigurationSnapshot = LicenseManager.GetLicenseConfigurationResponse;

/** One resource's use of a configuration: ListUsageForLicenseConfiguration's rows, with their configuration. */
export interface UsageSnapshot {
  licenseConfigurationArn: string;
  usage: LicenseManager.LicenseConfigurationUsage[];
}

/** The assets a license asset group discovers: ListAssetsForLicenseAssetGroup's, of every AssetType. */
export interface AssetGroupSnapshot {
  licenseAssetGroupArn: string;
  assets: { assetType: string; assetArn: string; latestAssetDiscoveryTime?: string }[];
}

/** What one run reports on, read from licensing at the time of the run. */
export interface ReportData {
  configurations: ConfigurationSnapshot[];
  usage: UsageSnapshot[];
  assetGroups: AssetGroupSnapshot[];
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
  LicenseAssetGroupUsageReport: ['LicenseAssetGroupArn', 'AssetType', 'AssetArn', 'LatestAssetDiscoveryTime'],
};

type Cell = string | number | bigint | boolean | undefined;

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

const assetRows = ({ licenseAssetGroupArn, assets }: AssetGroupSnapshot): Cell[][] =>
  assets.map((asset) => [licenseAssetGroupArn, asset.assetType, asset.assetArn, asset.latestAssetDiscoveryTime]);

/**
 * The CSV of one report type, a header line then a row per configuration (summary), per associated
 * resource (usage), or per asset a group discovers (asset group usage).
 */
export function renderReport(type: ReportType, data: ReportData): string {
  const rows = {
    LicenseConfigurationSummaryReport: () => data.configurations.map(summaryRow),
    LicenseConfigurationUsageReport: () => data.usage.flatMap(usageRows),
    LicenseAssetGroupUsageReport: () => data.assetGroups.flatMap(assetRows),
  }[type]();
  return csv([REPORT_COLUMNS[type], ...rows]);
}

/** Whether an asset's discovery time is within the report's dates (each bound optional, inclusive). */
export const withinDates = (at: string | undefined, start?: string, end?: string): boolean =>
  (start === undefined || (at !== undefined && at >= start)) && (end === undefined || (at !== undefined && at <= end));

/** The guide's key layout: Reports/<generator name>/<yyyy>/<mm>/<dd>/<report id>.csv, dated in UTC. */
export function reportKey(generatorName: string, runAt: Date, reportId: string): string {
  const [date] = runAt.toISOString().split('T');
  const [yyyy, mm, dd] = date.split('-');
  return `${reportKeyPrefix(generatorName)}${yyyy}/${mm}/${dd}/${reportId}.csv`;
}

export const reportKeyPrefix = (generatorName: string) => `Reports/${generatorName}/`;

const SHORT_NAMES: Record<ReportType, string> = {
  LicenseConfigurationSummaryReport: 'summary',
  LicenseConfigurationUsageReport: 'usage',
  LicenseAssetGroupUsageReport: 'asset-groups',
};

/** One report per type in a run: the run's id and the type's short name. */
export const reportIdOf = (runId: string, type: ReportType) => `${runId}-${SHORT_NAMES[type]}`;
