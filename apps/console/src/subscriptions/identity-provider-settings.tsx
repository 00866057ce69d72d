import type { UserSubscriptions } from '@lm/api-model';
import { ActionForm, listOf, textOf } from '../components/action-form';
import { TextField } from '../components/text-field';

/** A provider's Settings in words: "subnet-…, subnet-…; sg-…", or none. */
export const settingsText = (settings: UserSubscriptions.Settings | undefined) =>
  settings?.Subnets?.length ? `${settings.Subnets.join(', ')}; ${settings.SecurityGroupId}` : '—';

/**
 * The UpdateIdentityProviderSettings request the form describes: the form holds the subnets wanted,
 * the API takes the subnets to add and to remove from the current ones; the security group is sent
 * only when it changed (left empty, it stays).
 */
export function settingsUpdateOf(
  current: UserSubscriptions.Settings | undefined,
  form: FormData,
): UserSubscriptions.UpdateSettings {
  const before = current?.Subnets ?? [];
  const wanted = listOf(form, 'subnets');
  const securityGroup = textOf(form, 'securityGroup');
  return {
    AddSubnets: wanted.filter((subnet) => !before.includes(subnet)),
    RemoveSubnets: before.filter((subnet) => !wanted.includes(subnet)),
    SecurityGroupId: securityGroup && securityGroup !== current?.SecurityGroupId ? securityGroup : undefined,
  };
}

/**
 * A registered identity provider's VPC settings (the subnets of its VPC endpoints and their security
 * group), prefilled with the current ones; the API's refusal is shown beside the form.
 */
export function IdentityProviderSettingsForm({
  provider,
  name,
  update,
  onDone,
}: {
  provider: UserSubscriptions.IdentityProviderSummary;
  /** The provider in words ("VISUAL_STUDIO_ENTERPRISE in d-…"). */
  name: string;
  update(request: UserSubscriptions.UpdateIdentityProviderSettingsRequest): Promise<unknown>;
  onDone(): void;
}) {
  return (
    <ActionForm
      legend={`Settings of ${name}`}
      submitLabel="Save settings"
      submit={(form) =>
        update({
          IdentityProviderArn: provider.IdentityProviderArn,
          UpdateSettings: settingsUpdateOf(provider.Settings, form),
        })
      }
      onDone={onDone}
    >
      <TextField
        id="idp-settings-subnets"
        name="subnets"
        label="Subnets (comma-separated)"
        defaultValue={provider.Settings?.Subnets?.join(', ')}
      />
      <TextField
        id="idp-settings-security-group"
        name="securityGroup"
        label="VPC security group"
        defaultValue={provider.Settings?.SecurityGroupId}
      />
    </ActionForm>
  );
}
