import type { LicenseManager } from '@lm/api-model';
import { useApi } from '../api/use-api';
import { ActionForm, textOf } from '../components/action-form';
import { LoadedView } from '../components/loaded-view';
import { TextField } from '../components/text-field';
import { clientToken } from '../grants/client-token';
import { useSession } from '../session/session';

/** The usage dimensions a group counts its assets in (the API's values). */
const DIMENSIONS = ['vCPU', 'Core', 'Sockets', 'Instance'];

/**
 * An asset group's create and edit form: name, description, the usage dimension it counts in and the
 * rulesets that decide what it holds (the account's own and AWS managed ones); on edit its status too,
 * Active or Disabled (a disabled group discovers nothing until enabled). `initial`: the group edited.
 */
export function AssetGroupForm({ initial, onDone }: { initial?: LicenseManager.LicenseAssetGroup; onDone(): void }) {
  const { licenseManager: client } = useSession();
  const [rulesets] = useApi(
    () => client.call('ListLicenseAssetRulesets', { MaxResults: 100, ShowAWSManagedLicenseAssetRulesets: true }),
    'asset-group-rulesets',
  );
  const chosen = new Set(initial?.AssociatedLicenseAssetRulesetARNs ?? []);
  const save = (form: FormData) => {
    const fields = {
      Name: textOf(form, 'name'),
      Description: textOf(form, 'description'),
      LicenseAssetGroupConfigurations: [{ UsageDimension: textOf(form, 'dimension') }],
      AssociatedLicenseAssetRulesetARNs: form.getAll('ruleset').map(String),
      ClientToken: clientToken(),
    };
    return initial
      ? client.call('UpdateLicenseAssetGroup', {
          ...fields,
          LicenseAssetGroupArn: initial.LicenseAssetGroupArn,
          Status: textOf(form, 'status') as LicenseManager.LicenseAssetGroupStatus,
        })
      : client.call('CreateLicenseAssetGroup', fields);
  };
  return (
    <ActionForm
      legend={initial ? `Edit ${initial.Name}` : 'Create asset group'}
      submitLabel={initial ? 'Save asset group' : 'Create asset group'}
      submit={save}
      onDone={onDone}
    >
      <TextField id="group-name" name="name" label="Asset group name" required defaultValue={initial?.Name} />
      <TextField
        id="group-description"
        name="description"
        label="Description (optional)"
        defaultValue={initial?.Description}
      />
      <div className="field">
        <label htmlFor="group-dimension">Usage dimension</label>
        <select
          id="group-dimension"
          name="dimension"
          defaultValue={initial?.LicenseAssetGroupConfigurations?.[0]?.UsageDimension ?? 'vCPU'}
        >
          {DIMENSIONS.map((dimension) => (
            <option key={dimension}>{dimension}</option>
          ))}
        </select>
      </div>
      {initial && (
        <div className="field">
          <label htmlFor="group-status">Status</label>
          <select id="group-status" name="status" defaultValue={initial.Status}>
            <option value="ACTIVE">Active</option>
            <option value="DISABLED">Disabled</option>
          </select>
        </div>
      )}
      <fieldset>
        <legend>Rulesets</legend>
        <LoadedView state={rulesets} what="the rulesets">
          {(page) =>
            (page.LicenseAssetRulesets ?? []).map((ruleset) => (
              <div className="field checkbox" key={ruleset.LicenseAssetRulesetArn}>
                <input
                  id={`group-ruleset-${ruleset.LicenseAssetRulesetArn}`}
                  type="checkbox"
                  name="ruleset"
                  value={ruleset.LicenseAssetRulesetArn}
                  defaultChecked={chosen.has(ruleset.LicenseAssetRulesetArn)}
                />
                <label htmlFor={`group-ruleset-${ruleset.LicenseAssetRulesetArn}`}>{ruleset.Name}</label>
              </div>
            ))
          }
        </LoadedView>
      </fieldset>
    </ActionForm>
  );
}
