/** A topic's subscribers: the HTTP(S) endpoints its notifications are POSTed to. */
export type Subscriptions = ReadonlyMap<string, readonly string[]>;

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/**
 * The subscriptions file's content, `{"<topic ARN>": ["<http or https URL>", ...]}`, checked
 * whole: a mistake throws, saying where, so that a deployment never starts with subscribers
 * silently dropped.
 */
export function parseSubscriptions(json: string): Subscriptions {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new Error(`is not JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw new Error('must be a JSON object of topic ARNs to lists of URLs');
  const subscriptions = new Map<string, string[]>();
  for (const [topicArn, endpoints] of Object.entries(document)) {
    if (!TOPIC_ARN.test(topicArn)) throw new Error(`names ${JSON.stringify(topicArn)}, which is not an SNS topic ARN`);
    if (!Array.isArray(endpoints) || endpoints.length === 0)
      throw new Error(`must give ${topicArn} a non-empty list of URLs`);
    for (const endpoint of endpoints) {
      if (typeof endpoint !== 'string' || !isHttpUrl(endpoint))
        throw new Error(`gives ${topicArn} ${JSON.stringify(endpoint)}, which is not an http or https URL`);
    }
    subscriptions.set(topicArn, [...new Set(endpoints as string[])]);
  }
  return subscriptions;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
