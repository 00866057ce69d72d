import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { ErrorMessage } from '../components/error-message';
import { RuleEditor } from '../components/rule-editor';
import { TagEditor, type TagRow } from '../components/tag-editor';
import { COUNTING_TYPES, ruleText, rulesFor, type CountingType, type Rule } from '../licensing/license-rules';
import { hrefOf, navigate } from '../router';
import { useSession } from '../session/session';

/** Which part of the form an API error is about, from the words of its message. */
type FormPart = 'rules' | 'tags' | 'count' | 'form';
function partOf(error: unknown): FormPart {
  const message = error instanceof ApiError ? error.message : '';
  if (/rule|tenancy/i.test(message)) return 'rules';
  if (/tag/i.test(message)) return 'tags';
  if (/licen[cs]e ?count/i.test(message)) return 'count';
  return 'form';
}

/** The guide's "Create self-managed license" form: configuration details, rules and tags, then Submit. */
export function LicenseCreatePage() {
  const { licenseManager } = useSession();
  const [countingType, setCountingType] = useState<CountingType>('vCPU');
  const [rules, setRules] = useState<Rule[]>([]);
  const [tags, setTags] = useState<TagRow[]>([]);
  const [error, setError] = useState<{ part: FormPart; error: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  const unit = COUNTING_TYPES.find((type) => type.value === countingType)!.unit;

  const changeCountingType = (next: CountingType) => {
    setCountingType(next);
    // Rules the new counting type does not take go: the table offers none of them for it.
    setRules((current) => current.filter((rule) => rulesFor(next).some((type) => type.name === rule.name)));
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const created = await licenseManager.call('CreateLicenseConfiguration', {
        Name: text('name'),
        Description: text('description') || undefined,
        LicenseCountingType: countingType,
        LicenseCount: text('count') === '' ? undefined : Number(text('count')),
        LicenseCountHardLimit: form.get('hardLimit') === 'on',
        LicenseRules: rules.length > 0 ? rules.map(ruleText) : undefined,
        Tags: tags.length > 0 ? tags.map((tag) => ({ Key: tag.Key.trim(), Value: tag.Value })) : undefined,
      });
      navigate(hrefOf.license(created.LicenseConfigurationArn!));
    } catch (failure) {
      setError({ part: partOf(failure), error: failure });
      setBusy(false);
    }
  };
  const errorAt = (part: FormPart) => (error?.part === part ? error.error : undefined);

  return (
    <>
      <p className="breadcrumb">
        <a href={hrefOf.licenses()}>Self-managed licenses</a> / Create
      </p>
      <h1>Create self-managed license</h1>
      <form className="form" onSubmit={submit}>
        <fieldset>
          <legend>Configuration details</legend>
          <div className="field">
            <label htmlFor="name">Self-managed license name</label>
            <input id="name" name="name" required maxLength={1024} />
          </div>
          <div className="field">
            <label htmlFor="description">Description (optional)</label>
            <textarea id="description" name="description" rows={2} />
          </div>
          <div className="field">
            <label htmlFor="counting-type">License type</label>
            <select
              id="counting-type"
              value={countingType}
              onChange={(e) => changeCountingType(e.target.value as CountingType)}
            >
              {COUNTING_TYPES.map((type) => (
                <option key={type.value} value={type.value}>
                  {type.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="count">Number of {unit} (optional)</label>
            <input
              id="count"
              name="count"
              type="number"
              min={0}
              step={1}
              aria-describedby={errorAt('count') ? 'count-error' : undefined}
            />
            {errorAt('count') !== undefined && <ErrorMessage error={errorAt('count')} id="count-error" />}
          </div>
          <div className="field checkbox">
            <input id="hard-limit" name="hardLimit" type="checkbox" />
            <label htmlFor="hard-limit">Enforce license limit (a hard limit: resources over it are refused)</label>
          </div>
        </fieldset>
        <RuleEditor countingType={countingType} rules={rules} onChange={setRules} error={errorAt('rules')} />
        <TagEditor tags={tags} onChange={setTags} error={errorAt('tags')} />
        {errorAt('form') !== undefined && <ErrorMessage error={errorAt('form')} />}
        <div className="actions">
          <a className="button" href={hrefOf.licenses()}>
            Cancel
          </a>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Submitting…' : 'Submit'}
          </button>
        </div>
      </form>
    </>
  );
}
