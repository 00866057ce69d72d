import { useState, type FormEvent } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { ApiError } from '../api/api-error';
import { ErrorMessage } from './error-message';

type ReportType = LicenseManager.ReportType;
type Period = LicenseManager.ReportFrequencyType;

/** The report types of a report generator over self-managed licenses, in the guide's words. */
const REPORT_TYPES: { value: ReportType; label: string }[] = [
  { value: 'LicenseConfigurationSummaryReport', label: 'License configuration summary report' },
  { value: 'LicenseConfigurationUsageReport', label: 'License configuration usage report' },
];
const PERIODS: { value: Period; label: string }[] = [
  { value: 'DAY', label: 'Daily' },
  { value: 'WEEK', label: 'Weekly' },
  { value: 'MONTH', label: 'Monthly' },
  { value: 'ONE_TIME', label: 'Once' },
];

/** What the form sends: Create's and Update's request without the ARN and client token. */
export type ReportGeneratorDefinition = Pick<
  LicenseManager.CreateLicenseManagerReportGeneratorRequest,
  'ReportGeneratorName' | 'Type' | 'ReportContext' | 'ReportFrequency' | 'Description'
>;

type Field = 'name' | 'types' | 'configurations' | 'frequency' | 'form';
function fieldOf(error: unknown): Field {
  const message = error instanceof ApiError ? error.message : '';
  // The report context first: its message may say the licenses must be "named".
  if (/licen[cs]e ?configuration|ReportContext/i.test(message)) return 'configurations';
  if (/\bType\b|report type/i.test(message)) return 'types';
  if (/frequency|period/i.test(message)) return 'frequency';
  if (/ReportGeneratorName|generator name/i.test(message)) return 'name';
  return 'form';
}

/**
 * The guide's "Create report generator" form, also its edit: name, description, report types, the
 * self-managed licenses it reports on and how often. `submit` calls the API; its refusal is shown beside
 * the field it is about.
 */
export function ReportGeneratorForm({
  initial,
  configurations,
  submitLabel,
  submit,
  onCancel,
}: {
  initial?: LicenseManager.ReportGenerator;
  configurations: LicenseManager.LicenseConfiguration[];
  submitLabel: string;
  submit(definition: ReportGeneratorDefinition): Promise<void>;
  onCancel(): void;
}) {
  const [error, setError] = useState<{ field: Field; error: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = new Set(initial?.ReportContext?.licenseConfigurationArns ?? []);
  const types = new Set(initial?.ReportType ?? ['LicenseConfigurationSummaryReport']);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await submit({
        ReportGeneratorName: String(form.get('name') ?? '').trim(),
        Description: String(form.get('description') ?? '').trim() || undefined,
        Type: form.getAll('type').map(String) as ReportType[],
        ReportContext: { licenseConfigurationArns: form.getAll('configuration').map(String) },
        ReportFrequency: { value: 1, period: String(form.get('period')) as Period },
      });
    } catch (failure) {
      setError({ field: fieldOf(failure), error: failure });
      setBusy(false);
    }
  };
  const errorAt = (field: Field) => (error?.field === field ? error.error : undefined);
  const described = (field: Field) => (errorAt(field) !== undefined ? `report-${field}-error` : undefined);
  const fieldError = (field: Field) =>
    errorAt(field) !== undefined && <ErrorMessage error={errorAt(field)} id={`report-${field}-error`} />;

  return (
    <form className="form" onSubmit={onSubmit}>
      <fieldset>
        <legend>Report generator</legend>
        <div className="field">
          <label htmlFor="report-name">Report generator name</label>
          <input
            id="report-name"
            name="name"
            required
            defaultValue={initial?.ReportGeneratorName}
            aria-describedby={described('name')}
          />
          {fieldError('name')}
        </div>
        <div className="field">
          <label htmlFor="report-description">Description (optional)</label>
          <input id="report-description" name="description" defaultValue={initial?.Description} />
        </div>
        <div className="field">
          <label htmlFor="report-period">Report frequency</label>
          <select
            id="report-period"
            name="period"
            defaultValue={initial?.ReportFrequency?.period ?? 'DAY'}
            aria-describedby={described('frequency')}
          >
            {PERIODS.map((period) => (
              <option key={period.value} value={period.value}>
                {period.label}
              </option>
            ))}
          </select>
          {fieldError('frequency')}
        </div>
      </fieldset>
      <fieldset aria-describedby={described('types')}>
        <legend>Report types</legend>
        {REPORT_TYPES.map((type) => (
          <div className="field checkbox" key={type.value}>
            <input
              id={`type-${type.value}`}
              name="type"
              type="checkbox"
              value={type.value}
              defaultChecked={types.has(type.value)}
            />
            <label htmlFor={`type-${type.value}`}>{type.label}</label>
          </div>
        ))}
        {fieldError('types')}
      </fieldset>
      <fieldset aria-describedby={described('configurations')}>
        <legend>Self-managed licenses</legend>
        {configurations.length === 0 && <p>No self-managed license to report on yet.</p>}
        {configurations.map((c) => (
          <div className="field checkbox" key={c.LicenseConfigurationArn}>
            <input
              id={`configuration-${c.LicenseConfigurationId}`}
              name="configuration"
              type="checkbox"
              value={c.LicenseConfigurationArn}
              defaultChecked={chosen.has(c.LicenseConfigurationArn!)}
            />
            <label htmlFor={`configuration-${c.LicenseConfigurationId}`}>{c.Name}</label>
          </div>
        ))}
        {fieldError('configurations')}
      </fieldset>
      {fieldError('form')}
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
