import { useState } from 'react';
import { rulesFor, RULE_TYPES, tenanciesFor, type CountingType, type Rule } from '../licensing/license-rules';
import { ErrorMessage } from './error-message';

/**
 * The guide's rule list: pick a rule type (those the counting type allows), give its value, "Add rule".
 * The API checks the values; its answer about a rule is shown here, under the rules (`error`).
 * `changeable` limits the rules that may be added or removed (after creation, licenseAffinityToHost only).
 */
export function RuleEditor({
  countingType,
  rules,
  onChange,
  error,
  changeable,
}: {
  countingType: CountingType;
  rules: Rule[];
  onChange(rules: Rule[]): void;
  error?: unknown;
  changeable?: readonly string[];
}) {
  const mayChange = (name: string) => !changeable || changeable.includes(name);
  const offered = rulesFor(countingType).filter(
    (type) => mayChange(type.name) && !rules.some((rule) => rule.name === type.name),
  );
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const chosen = offered.find((type) => type.name === name) ?? offered[0];

  const add = () => {
    if (!chosen || value.trim() === '') return;
    onChange([...rules, { name: chosen.name, value: value.trim() }]);
    setName('');
    setValue('');
  };

  return (
    <fieldset className="rules" aria-describedby={error ? 'rules-error' : undefined}>
      <legend>Rules</legend>
      {rules.length > 0 && (
        <ul className="rule-list">
          {rules.map((rule) => {
            const label = RULE_TYPES.find((type) => type.name === rule.name)?.label ?? rule.name;
            return (
              <li key={rule.name}>
                <span>
                  {label}: <strong>{rule.value}</strong>
                </span>
                {mayChange(rule.name) && (
                  <button
                    type="button"
                    aria-label={`Remove rule ${label}`}
                    onClick={() => onChange(rules.filter((r) => r.name !== rule.name))}
                  >
                    Remove
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {chosen && (
        <div className="rule-add">
          <div className="field">
            <label htmlFor="rule-type">Rule type</label>
            <select
              id="rule-type"
              value={chosen.name}
              onChange={(e) => {
                setName(e.target.value);
                setValue('');
              }}
            >
              {offered.map((type) => (
                <option key={type.name} value={type.name}>
                  {type.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="rule-value">Rule value</label>
            {chosen.kind === 'integer' && (
              <input
                id="rule-value"
                inputMode="numeric"
                value={value}
                onChange={(e) => setValue(e.target.value)}
                onKeyDown={(e) => {
                  // Enter adds the rule, as "Add rule" does, rather than submitting the whole form.
                  if (e.key !== 'Enter') return;
                  e.preventDefault();
                  add();
                }}
              />
            )}
            {chosen.kind === 'tenancy' && (
              <select id="rule-value" value={value} onChange={(e) => setValue(e.target.value)}>
                <option value="">Choose a tenancy</option>
                {tenanciesFor(countingType).map((tenancy) => (
                  <option key={tenancy.value} value={tenancy.value}>
                    {tenancy.label}
                  </option>
                ))}
              </select>
            )}
            {chosen.kind === 'boolean' && (
              <select id="rule-value" value={value} onChange={(e) => setValue(e.target.value)}>
                <option value="">Choose</option>
                <option value="True">True</option>
                <option value="False">False</option>
              </select>
            )}
          </div>
          <button type="button" onClick={add} disabled={value.trim() === ''}>
            Add rule
          </button>
        </div>
      )}
      {error !== undefined && <ErrorMessage error={error} id="rules-error" />}
    </fieldset>
  );
}
