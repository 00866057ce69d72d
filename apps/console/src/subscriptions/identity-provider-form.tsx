import type { UserSubscriptions } from '@lm/api-model';
import { ActionForm, listOf, textOf } from '../components/action-form';
import { TextField } from '../components/text-field';

/** The products of user-based subscriptions, by the API's Product values and the guide's names. */
export const PRODUCTS = [
  { value: 'REMOTE_DESKTOP_SERVICES', label: 'Remote Desktop Services SAL' },
  { value: 'VISUAL_STUDIO_ENTERPRISE', label: 'Visual Studio Enterprise' },
  { value: 'VISUAL_STUDIO_PROFESSIONAL', label: 'Visual Studio Professional' },
  { value: 'OFFICE_PROFESSIONAL_PLUS', label: 'Office Professional Plus' },
] as const;

/**
 * The RegisterIdentityProvider request the form describes: the directory's ID alone (a directory
 * registered already, for another product), or with its Active Directory settings (domain, DNS
 * addresses, the secret holding the administrator's credentials, its subnets); the VPC settings
 * when a security group is given.
 */
export function registrationOf(form: FormData): UserSubscriptions.RegisterIdentityProviderRequest {
  const domainName = textOf(form, 'domainName');
  const subnets = listOf(form, 'subnets');
  const securityGroup = textOf(form, 'securityGroup');
  const secret = textOf(form, 'secret');
  return {
    Product: textOf(form, 'product'),
    IdentityProvider: {
      ActiveDirectoryIdentityProvider: {
        DirectoryId: textOf(form, 'directoryId'),
        ActiveDirectoryType: (textOf(form, 'directoryType') || undefined) as UserSubscriptions.ActiveDirectoryType,
        ...(domainName && {
          ActiveDirectorySettings: {
            DomainName: domainName,
            DomainIpv4List: listOf(form, 'dnsAddresses'),
            DomainCredentialsProvider: secret ? { SecretsManagerCredentialsProvider: { SecretId: secret } } : undefined,
            DomainNetworkSettings: { Subnets: subnets },
          },
        }),
      },
    },
    Settings: securityGroup ? { Subnets: subnets, SecurityGroupId: securityGroup } : undefined,
  };
}

/**
 * The guide's "Register identity provider" with an Active Directory: the product, the directory, and
 * for a directory not registered yet its domain, DNS addresses, credentials secret and subnets.
 */
export function IdentityProviderForm({
  register,
  onDone,
}: {
  register(request: UserSubscriptions.RegisterIdentityProviderRequest): Promise<unknown>;
  onDone(): void;
}) {
  return (
    <ActionForm
      legend="Register identity provider"
      submitLabel="Register"
      submit={(form) => register(registrationOf(form))}
      onDone={onDone}
    >
      <div className="field">
        <label htmlFor="idp-product">Product</label>
        <select id="idp-product" name="product">
          {PRODUCTS.map((product) => (
            <option key={product.value} value={product.value}>
              {product.label}
            </option>
          ))}
        </select>
      </div>
      <TextField id="idp-directory" name="directoryId" label="Directory ID" required placeholder="d-1234567890" />
      <div className="field">
        <label htmlFor="idp-type">Active Directory type</label>
        <select id="idp-type" name="directoryType">
          <option value="AWS_MANAGED">AWS Managed Microsoft AD</option>
          <option value="SELF_MANAGED">Self-managed Active Directory</option>
        </select>
      </div>
      <p className="hint">
        For a directory registered already (for another product) the directory ID is enough; otherwise give its domain.
      </p>
      <TextField id="idp-domain" name="domainName" label="Domain name (optional)" placeholder="corp.example.com" />
      <TextField id="idp-dns" name="dnsAddresses" label="DNS IPv4 addresses (optional, comma-separated)" />
      <TextField id="idp-secret" name="secret" label="Secrets Manager secret with the credentials (optional)" />
      <TextField id="idp-subnets" name="subnets" label="Subnets (optional, comma-separated)" />
      <TextField id="idp-security-group" name="securityGroup" label="VPC security group (optional)" />
    </ActionForm>
  );
}
