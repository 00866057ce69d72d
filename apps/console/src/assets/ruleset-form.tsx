import { useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { ActionForm, textOf } from '../components/action-form';
import { TextField } from '../components/text-field';
import { clientToken } from '../grants/client-token';
import { useSession } from '../session/session';
import { describeRule, KEYS, matchingRule, STATEMENT_TYPES, type StatementType } from './asset-rules';

type Ruleset = LicenseManager.LicenseAssetRuleset;

/**
 * A custom ruleset's create and edit form: name, description and its rules (up to five, the API
 * checks). A rule is added as a matching statement (type, key, equals or not, values); rules made
 * otherwise (and, or, scripts) are kept as they are and can be removed. `initial`: the ruleset edited.
 */
export function RulesetForm({ initial, onDone }: { initial?: Ruleset; onDone(): void }) {
  const { licenseManager: client } = useSession();
  const [rules, setRules] = useState<LicenseManager.LicenseAssetRule[]>(initial?.Rules ?? []);
  const [type, setType] = useState<StatementType>('InstanceRuleStatement');
  const [key, setKey] = useState(KEYS.InstanceRuleStatement[0]);
  const [constraint, setConstraint] = useState('EQUALS');
  const [values, setValues] = useState('');
  const addRule = () => {
    const ValueToMatch = values
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    setRules((list) => [...list, matchingRule(type, { KeyToMatch: key, Constraint: constraint, ValueToMatch })]);
    setValues('');
  };
  const save = (form: FormData) => {
    const fields = {
      Name: textOf(form, 'name'),
      Description: textOf(form, 'description'),
      Rules: rules,
      ClientToken: clientToken(),
    };
    return initial
      ? client.call('UpdateLicenseAssetRuleset', { ...fields, LicenseAssetRulesetArn: initial.LicenseAssetRulesetArn })
      : client.call('CreateLicenseAssetRuleset', fields);
  };
  return (
    <ActionForm
      legend={initial ? `Edit ${initial.Name}` : 'Create ruleset'}
      submitLabel={initial ? 'Save ruleset' : 'Create ruleset'}
      submit={save}
      onDone={onDone}
    >
      <TextField id="ruleset-name" name="name" label="Ruleset name" required defaultValue={initial?.Name} />
      <TextField
        id="ruleset-description"
        name="description"
        label="Description (optional)"
        defaultValue={initial?.Description}
      />
      <ul className="rule-list" aria-label="Rules">
        {rules.map((rule, index) => (
          <li key={index}>
            {describeRule(rule)}
            <button
              type="button"
              onClick={() => setRules((list) => list.filter((_, i) => i !== index))}
              aria-label={`Remove rule ${describeRule(rule)}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor="rule-statement">Rule applies to</label>
        <select
          id="rule-statement"
          value={type}
          onChange={(e) => {
            const next = e.target.value as StatementType;
            setType(next);
            setKey(KEYS[next][0]);
          }}
        >
          {STATEMENT_TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="rule-key">Rule key</label>
        <select id="rule-key" value={key} onChange={(e) => setKey(e.target.value)}>
          {KEYS[type].map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="rule-constraint">Condition</label>
        <select id="rule-constraint" value={constraint} onChange={(e) => setConstraint(e.target.value)}>
          <option value="EQUALS">Equals</option>
          <option value="NOT_EQUALS">Not equals</option>
        </select>
      </div>
      <TextField
        id="rule-values"
        label="Rule values (comma-separated)"
        value={values}
        onChange={(e) => setValues(e.target.value)}
      />
      <div className="actions">
        <button type="button" onClick={addRule}>
          Add rule
        </button>
      </div>
    </ActionForm>
  );
}
