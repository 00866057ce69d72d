/** The account and Region whose service settings name a topic. */
export interface TopicOwner {
  accountId: string;
  region: string;
}

/**
 * The SNS topic an account's notifications go to: its service settings' SnsTopicArn, which
 * licensing owns (UpdateServiceSettings / GetServiceSettings).
 */
export interface AccountTopics {
  /** The SnsTopicArn, or undefined when none is set; throws when licensing does not answer. */
  topicOf(owner: TopicOwner): Promise<string | undefined>;
}

export const ACCOUNT_TOPICS = Symbol('AccountTopics');
