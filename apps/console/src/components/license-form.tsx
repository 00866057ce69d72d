import { useState, type FormEvent } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { ApiError } from '../api/api-error';
import { COUNTING_TYPES, rulesFor, type CountingType, type Rule } from '../licensing/license-rules';
import { DiscoveryRuleEditor } from './discovery-rule-editor';
import { ErrorMessage } from './error-message';
import { RuleEditor } from './rule-editor';
import { TagEditor, type TagRow } from './tag-editor';

/** What the guide's self-managed license form holds, as typed: the pages turn it into their API call. */
export interface LicenseFormValues {
  name: string;
  description: string;
  countingType: CountingType;
  /** As typed: empty when no count is set. */
  count: string;
  /** The expiry date as YYYY-MM-DD (sent as the last second of that day in UTC), empty when none. */
  expiry: string;
  hardLimit: boolean;
  rules: Rule[];
  /** Automated discovery rules (the API's ProductInformationList). */
  products: LicenseManager.ProductInformation[];
  disassociateWhenNotFound: boolean;
  tags: TagRow[];
}

export const NEW_LICENSE: LicenseFormValues = {
  name: '',
  description: '',
  countingType: 'vCPU',
  count: '',
  expiry: '',
  hardLimit: false,
  rules: [],
  products: [],
  disassociateWhenNotFound: false,
  tags: [],
};

/** The only rule that may be added, changed or removed once a configuration exists. */
const AFTER_CREATION = ['licenseAffinityToHost'];

/** Which part of the form an API error is about, from the words of its message. */
type FormPart = 'discovery' | 'rules' | 'tags' | 'count' | 'expiry' | 'name' | 'form';
function partOf(error: unknown): FormPart {
  const message = error instanceof ApiError ? error.message : '';
  if (/expiry/i.test(message)) return 'expiry';
  // Licensing's refusals of product information name a product, a filter, an exclusion or RDS.
  if (/product|filter|exclusion|\bRDS\b|ResourceType/i.test(message)) return 'discovery';
  if (/rule|tenancy/i.test(message)) return 'rules';
  if (/tag/i.test(message)) return 'tags';
  if (/licen[cs]e ?count/i.test(message)) return 'count';
  if (/\bname\b/i.test(message)) return 'name';
  return 'form';
}

/**
 * The guide's self-managed license form (configuration details, rules, automated discovery rules, tags), for creating a
 * configuration and for editing one. `submit` makes the API calls; what it throws is shown beside the
 * part of the form it is about. An edit keeps the counting type (UpdateLicenseConfiguration does not take
 * it) and the rules but licenseAffinityToHost (the API refuses any other change of rules after creation).
 */
export function LicenseForm({
  initial,
  editing = false,
  submitLabel,
  cancelHref,
  submit,
}: {
  initial: LicenseFormValues;
  /** Editing a configuration: its counting type stays, and of its rules only licenseAffinityToHost may change. */
  editing?: boolean;
  submitLabel: string;
  cancelHref: string;
  submit(values: LicenseFormValues): Promise<void>;
}) {
  const [countingType, setCountingType] = useState<CountingType>(initial.countingType);
  const [rules, setRules] = useState<Rule[]>(initial.rules);
  const [products, setProducts] = useState(initial.products);
  const [tags, setTags] = useState<TagRow[]>(initial.tags);
  const [error, setError] = useState<{ part: FormPart; error: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  const unit = COUNTING_TYPES.find((type) => type.value === countingType)!.unit;

  const changeCountingType = (next: CountingType) => {
    setCountingType(next);
    // Rules the new counting type does not take go: the table offers none of them for it.
    setRules((current) => current.filter((rule) => rulesFor(next).some((type) => type.name === rule.name)));
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      await submit({
        name: text('name'),
        description: text('description'),
        countingType,
        count: text('count'),
        expiry: text('expiry'),
        hardLimit: form.get('hardLimit') === 'on',
        rules,
        products,
        disassociateWhenNotFound: form.get('disassociateWhenNotFound') === 'on',
        tags: tags.map((tag) => ({ Key: tag.Key.trim(), Value: tag.Value })),
      });
    } catch (failure) {
      setError({ part: partOf(failure), error: failure });
      setBusy(false);
    }
  };
  const errorAt = (part: FormPart) => (error?.part === part ? error.error : undefined);
  const describedBy = (part: FormPart) => (errorAt(part) !== undefined ? `${part}-error` : undefined);

  return (
    <form className="form" onSubmit={onSubmit}>
      <fieldset>
        <legend>Configuration details</legend>
        <div className="field">
          <label htmlFor="name">Self-managed license name</label>
          <input
            id="name"
            name="name"
            required
            maxLength={1024}
            defaultValue={initial.name}
            aria-describedby={describedBy('name')}
          />
          {errorAt('name') !== undefined && <ErrorMessage error={errorAt('name')} id="name-error" />}
        </div>
        <div className="field">
          <label htmlFor="description">Description (optional)</label>
          <textarea id="description" name="description" rows={2} defaultValue={initial.description} />
        </div>
        <div className="field">
          <label htmlFor="expiry">Expiry date (optional)</label>
          <input
            id="expiry"
            name="expiry"
            type="date"
            max="9999-12-31"
            defaultValue={initial.expiry}
            aria-describedby={['expiry-hint', describedBy('expiry')].filter(Boolean).join(' ')}
          />
          <p className="hint" id="expiry-hint">
            The license expires at the end of this day, 23:59:59 UTC: no resource can be associated with it after.
            {editing && initial.expiry !== '' && ' An expiry date can be changed but not removed.'}
          </p>
          {errorAt('expiry') !== undefined && <ErrorMessage error={errorAt('expiry')} id="expiry-error" />}
        </div>
        <div className="field">
          <label htmlFor="counting-type">License type</label>
          <select
            id="counting-type"
            value={countingType}
            disabled={editing}
            aria-describedby={editing ? 'counting-type-hint' : undefined}
            onChange={(e) => changeCountingType(e.target.value as CountingType)}
          >
            {COUNTING_TYPES.map((type) => (
              <option key={type.value} value={type.value}>
                {type.label}
              </option>
            ))}
          </select>
          {editing && (
            <p className="hint" id="counting-type-hint">
              A license type cannot be changed once the license is created, nor its rules but the license affinity to
              host.
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="count">Number of {unit} (optional)</label>
          <input
            id="count"
            name="count"
            type="number"
            step={1}
            defaultValue={initial.count}
            aria-describedby={describedBy('count')}
          />
          {errorAt('count') !== undefined && <ErrorMessage error={errorAt('count')} id="count-error" />}
        </div>
        <div className="field checkbox">
          <input id="hard-limit" name="hardLimit" type="checkbox" defaultChecked={initial.hardLimit} />
          <label htmlFor="hard-limit">Enforce license limit (a hard limit: resources over it are refused)</label>
        </div>
      </fieldset>
      <RuleEditor
        countingType={countingType}
        rules={rules}
        onChange={setRules}
        error={errorAt('rules')}
        changeable={editing ? AFTER_CREATION : undefined}
      />
      <DiscoveryRuleEditor
        products={products}
        onChange={setProducts}
        disassociateWhenNotFound={initial.disassociateWhenNotFound}
        error={errorAt('discovery')}
      />
      <TagEditor tags={tags} onChange={setTags} error={errorAt('tags')} />
      {errorAt('form') !== undefined && <ErrorMessage error={errorAt('form')} />}
      <div className="actions">
        <a className="button" href={cancelHref}>
          Cancel
        </a>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Submitting…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
