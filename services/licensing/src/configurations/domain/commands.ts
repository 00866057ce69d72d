import type { LicenseManager } from '@lm/api-model';

export type LicenseConfigurationCommand =
  | {
      type: 'CreateLicenseConfiguration';
      id: string;
      arn: string;
      accountId: string;
      region: string;
      now: Date;
      input: LicenseManager.CreateLicenseConfigurationRequest;
    }
  | ({
      type: 'UpdateLicenseConfiguration';
      now: Date;
      input: LicenseManager.UpdateLicenseConfigurationRequest;
    } & Target)
  | ({ type: 'TagLicenseConfiguration'; tags: LicenseManager.Tag[] } & Target)
  | ({ type: 'UntagLicenseConfiguration'; tagKeys: string[] } & Target)
  | ({ type: 'DeleteLicenseConfiguration'; now: Date } & Target);

/** An existing configuration, as the caller named it, and who asks. */
interface Target {
  arn: string;
  accountId: string;
}
