import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import { AwsError, type Caller, type OwnedOperation } from '@lm/contracts';
import { NoRespondersError, OperationClient, OperationTimeoutError, operationSubject } from '@lm/messaging';
import type { AssetGroupSnapshot, ConfigurationSnapshot } from '../domain/reports';
import type { LicensingReads, ReportOwner } from '../application/licensing-reads';

/**
 * Licensing's own operations, asked over NATS request/reply as the generator's owner (its root
 * principal): licensing then answers exactly what that account would see, and refuses what it
 * would refuse it.
 */
@Injectable()
export class NatsLicensingReads implements LicensingReads {
  constructor(private readonly client: OperationClient) {}

  configuration(owner: ReportOwner, arn: string): Promise<ConfigurationSnapshot> {
    return this.ask<ConfigurationSnapshot>(owner, 'GetLicenseConfiguration', { LicenseConfigurationArn: arn });
  }

  async usage(owner: ReportOwner, arn: string): Promise<LicenseManager.LicenseConfigurationUsage[]> {
    const rows: LicenseManager.LicenseConfigurationUsage[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.ask<LicenseManager.ListUsageForLicenseConfigurationResponse>(
        owner,
        'ListUsageForLicenseConfiguration',
        { LicenseConfigurationArn: arn, NextToken },
      );
      rows.push(...(page.LicenseConfigurationUsageList ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return rows;
  }

  assetGroup(owner: ReportOwner, arn: string): Promise<LicenseManager.GetLicenseAssetGroupResponse> {
    return this.ask(owner, 'GetLicenseAssetGroup', { LicenseAssetGroupArn: arn });
  }

  async assetGroupAssets(owner: ReportOwner, arn: string): Promise<AssetGroupSnapshot['assets']> {
    const assets: AssetGroupSnapshot['assets'] = [];
    for (const assetType of ['Instance', 'License', 'LicenseConfiguration']) {
      let NextToken: string | undefined;
      do {
        const page = await this.ask<LicenseManager.ListAssetsForLicenseAssetGroupResponse>(
          owner,
          'ListAssetsForLicenseAssetGroup',
          { LicenseAssetGroupArn: arn, AssetType: assetType, NextToken },
        );
        for (const asset of page.Assets ?? []) {
          const at = asset.LatestAssetDiscoveryTime;
          assets.push({
            assetType,
            assetArn: asset.AssetArn!,
            latestAssetDiscoveryTime: typeof at === 'number' ? new Date(at * 1000).toISOString() : undefined,
          });
        }
        NextToken = page.NextToken;
      } while (NextToken);
    }
    return assets;
  }

  async reportsBucketArn(owner: ReportOwner): Promise<string | undefined> {
    const settings = await this.serviceSettings(owner);
    return settings.S3BucketArn || undefined;
  }

  /** The account's settings as GetServiceSettings answers it (notifications read its SnsTopicArn). */
  serviceSettings(owner: ReportOwner): Promise<LicenseManager.GetServiceSettingsResponse> {
    return this.ask<LicenseManager.GetServiceSettingsResponse>(owner, 'GetServiceSettings', {});
  }

  private async ask<Output>(
    owner: ReportOwner,
    operation: OwnedOperation<'licensing'>,
    input: object,
  ): Promise<Output> {
    const caller: Caller = {
      accountId: owner.accountId,
      principalArn: `arn:aws:iam::${owner.accountId}:root`,
      // No access key signed this: the reporting service asks on the account's behalf.
      accessKeyId: 'reporting',
      region: owner.region,
    };
    try {
      const reply = await this.client.call(operationSubject('licensing', operation), {
        requestId: randomUUID(),
        caller,
        input,
      });
      if (!reply.ok) throw new AwsError(reply.error.name, reply.error.message, reply.error.fields);
      return reply.output as Output;
    } catch (error) {
      if (error instanceof NoRespondersError || error instanceof OperationTimeoutError)
        throw new AwsError(
          'ServerInternalException',
          'The licensing service did not answer about the license configurations or asset groups; try again.',
        );
      throw error;
    }
  }
}
