import { Injectable } from '@nestjs/common';
import { NatsLicensingReads } from '../../report-generators/infra/nats-licensing-reads';
import type { AccountTopics, TopicOwner } from '../application/account-topics';

/**
 * The account's SnsTopicArn, asked of licensing (GetServiceSettings as the account, over NATS),
 * as report runs ask it for the S3 bucket.
 */
@Injectable()
export class NatsAccountTopics implements AccountTopics {
  constructor(private readonly licensing: NatsLicensingReads) {}

  async topicOf(owner: TopicOwner): Promise<string | undefined> {
    const settings = await this.licensing.serviceSettings(owner);
    return settings.SnsTopicArn || undefined;
  }
}
