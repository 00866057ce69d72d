import { LicenseForm, NEW_LICENSE, type LicenseFormValues } from '../components/license-form';
import { expiryOfDate } from '../licensing/expiry';
import { ruleText } from '../licensing/license-rules';
import { hrefOf, navigate } from '../router';
import { useSession } from '../session/session';

/** The guide's "Create self-managed license": the license form, then Submit (CreateLicenseConfiguration). */
export function LicenseCreatePage() {
  const { licenseManager } = useSession();

  const create = async (values: LicenseFormValues) => {
    const created = await licenseManager.call('CreateLicenseConfiguration', {
      Name: values.name,
      Description: values.description || undefined,
      LicenseCountingType: values.countingType,
      LicenseCount: values.count === '' ? undefined : Number(values.count),
      LicenseCountHardLimit: values.hardLimit,
      LicenseExpiry: values.expiry === '' ? undefined : expiryOfDate(values.expiry),
      LicenseRules: values.rules.length > 0 ? values.rules.map(ruleText) : undefined,
      ProductInformationList: values.products.length > 0 ? values.products : undefined,
      DisassociateWhenNotFound: values.disassociateWhenNotFound || undefined,
      Tags: values.tags.length > 0 ? values.tags : undefined,
    });
    navigate(hrefOf.license(created.LicenseConfigurationArn!));
  };

  return (
    <>
      <p className="breadcrumb">
        <a href={hrefOf.licenses()}>Self-managed licenses</a> / Create
      </p>
      <h1>Create self-managed license</h1>
      <LicenseForm initial={NEW_LICENSE} submitLabel="Submit" cancelHref={hrefOf.licenses()} submit={create} />
    </>
  );
}
