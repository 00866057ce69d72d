import type { ColumnType } from 'kysely';
import type { ReportGeneratorAggregate } from '../domain/report-generator';

type Timestamp = ColumnType<Date, string, string>;
type NullableTimestamp = ColumnType<Date | null, string | null, string | null>;
type Json<T> = ColumnType<T, string, string>;

/** A live report generator: its whole state, and the columns that lists and the schedule read. */
export interface ReportGeneratorsTable {
  id: string;
  arn: string;
  account_id: string;
  region: string;
  created_at: Timestamp;
  /** The configurations it reports on (ListLicenseManagerReportGenerators' LicenseConfigurationArn filter). */
  license_configuration_arns: Json<string[]>;
  /** When its next run is due; null when none is. */
  next_run_at: NullableTimestamp;
  /** Version of its stream the row reflects (for an idempotent projection). */
  stream_version: number;
  state: Json<ReportGeneratorAggregate>;
}

/** The first result of each CreateLicenseManagerReportGenerator's ClientToken, kept after the generator is deleted. */
export interface ReportGeneratorClientTokensTable {
  account_id: string;
  client_token: string;
  request_hash: string;
  arn: string;
}

/** Live generators per account and Region: the quota's counter. */
export interface ReportGeneratorCountsTable {
  account_id: string;
  region: string;
  count: number;
}

export interface ReportGeneratorViews {
  report_generators: ReportGeneratorsTable;
  report_generator_client_tokens: ReportGeneratorClientTokensTable;
  report_generator_counts: ReportGeneratorCountsTable;
}
