import type { LicenseManager } from '@lm/api-model';
import type { LicenseManagerClient } from '../api/license-manager-client';
import { useApi } from '../api/use-api';
import { LicenseForm, type LicenseFormValues } from '../components/license-form';
import { LoadedView } from '../components/loaded-view';
import { dateOfExpiry, expiryChange } from '../licensing/expiry';
import { parseRuleText, ruleText, type CountingType } from '../licensing/license-rules';
import { hrefOf, navigate } from '../router';
import { useSession } from '../session/session';

/**
 * "Edit" of a self-managed license: the create form, filled with the configuration as it is, saved with
 * UpdateLicenseConfiguration, and its tags with TagResource and UntagResource.
 */
export function LicenseEditPage({ arn }: { arn: string }) {
  const { licenseManager } = useSession();
  const [state] = useApi(async () => {
    const [configuration, tags] = await Promise.all([
      licenseManager.call('GetLicenseConfiguration', { LicenseConfigurationArn: arn }),
      licenseManager.call('ListTagsForResource', { ResourceArn: arn }),
    ]);
    return { configuration, tags: tags.Tags ?? [] };
  }, arn);

  return (
    <>
      <p className="breadcrumb">
        <a href={hrefOf.licenses()}>Self-managed licenses</a> / <a href={hrefOf.license(arn)}>Details</a> / Edit
      </p>
      <LoadedView state={state} what="the license configuration">
        {({ configuration, tags }) => (
          <>
            <h1>Edit {configuration.Name}</h1>
            <LicenseForm
              initial={formValuesOf(configuration, tags)}
              editing
              submitLabel="Save changes"
              cancelHref={hrefOf.license(arn)}
              submit={async (values) => {
                await saveLicense(licenseManager, arn, values, configuration, tags);
                navigate(hrefOf.license(arn));
              }}
            />
          </>
        )}
      </LoadedView>
    </>
  );
}

function formValuesOf(
  c: LicenseManager.GetLicenseConfigurationResponse,
  tags: LicenseManager.Tag[],
): LicenseFormValues {
  return {
    name: c.Name ?? '',
    description: c.Description ?? '',
    countingType: (c.LicenseCountingType ?? 'vCPU') as CountingType,
    count: c.LicenseCount === undefined ? '' : String(c.LicenseCount),
    expiry: c.LicenseExpiry === undefined ? '' : dateOfExpiry(c.LicenseExpiry),
    hardLimit: c.LicenseCountHardLimit ?? false,
    rules: (c.LicenseRules ?? []).map(parseRuleText).map(({ name, value }) => ({ name, value })),
    products: c.ProductInformationList ?? [],
    disassociateWhenNotFound: c.DisassociateWhenNotFound ?? false,
    tags: tags.map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' })),
  };
}

/** The configuration's fields and automated discovery rules, then its tags: keys no longer there untagged, the rest tagged as typed. */
async function saveLicense(
  client: LicenseManagerClient,
  arn: string,
  values: LicenseFormValues,
  configuration: LicenseManager.GetLicenseConfigurationResponse,
  before: LicenseManager.Tag[],
): Promise<void> {
  // Product information is sent only when changed: licensing runs automated discovery again on each change.
  const productsChanged =
    JSON.stringify(values.products) !== JSON.stringify(configuration.ProductInformationList ?? []);
  await client.call('UpdateLicenseConfiguration', {
    LicenseConfigurationArn: arn,
    Name: values.name,
    Description: values.description,
    // An empty count leaves the count as it is: the API has no way to remove one.
    LicenseCount: values.count === '' ? undefined : Number(values.count),
    LicenseCountHardLimit: values.hardLimit,
    LicenseExpiry: expiryChange(values.expiry, configuration.LicenseExpiry),
    LicenseRules: values.rules.map(ruleText),
    ProductInformationList: productsChanged ? values.products : undefined,
    DisassociateWhenNotFound: values.disassociateWhenNotFound,
  });
  const removed = before.map((tag) => tag.Key!).filter((key) => !values.tags.some((tag) => tag.Key === key));
  if (removed.length > 0) await client.call('UntagResource', { ResourceArn: arn, TagKeys: removed });
  const changed = values.tags.filter((tag) => !before.some((old) => old.Key === tag.Key && old.Value === tag.Value));
  if (changed.length > 0) await client.call('TagResource', { ResourceArn: arn, Tags: changed });
}
