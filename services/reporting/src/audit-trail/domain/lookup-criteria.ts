import type { CloudTrail } from '@lm/api-model';
import { AwsError } from '@lm/contracts';

/** What LookupEvents looks for: at most one attribute, a time range, and how many events a page holds. */
export interface LookupCriteria {
  attribute?: { key: CloudTrail.LookupAttributeKey; value: string };
  startTime?: Date;
  endTime?: Date;
  /** CloudTrail's Insights events (EventCategory insight): this product records none. */
  insightsOnly: boolean;
  maxResults: number;
}

const ATTRIBUTE_KEYS: readonly string[] = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
];

/** CloudTrail's page: 50 events, the default and the most. */
export const MAX_RESULTS = 50;

const invalidAttributes = (message: string) => new AwsError('InvalidLookupAttributesException', message);

/**
 * LookupEvents' input as CloudTrail checks it (the gateway's model leaves these checks here, so
 * that each answers CloudTrail's own error): one lookup attribute at most, with a known key and a
 * value of 1 to 2,000 characters (`true` or `false` for ReadOnly); a start no later than the end;
 * MaxResults 1 to 50; EventCategory `insight` only.
 */
export function lookupCriteria(input: CloudTrail.LookupEventsRequest): LookupCriteria {
  const attributes = input.LookupAttributes ?? [];
  if (attributes.length > 1)
    throw invalidAttributes('You can only specify one lookup attribute; the lookup attributes list holds more.');
  const [attribute] = attributes;
  if (attribute) {
    const { AttributeKey: key, AttributeValue: value } = attribute;
    if (!ATTRIBUTE_KEYS.includes(key)) throw invalidAttributes(`${key} is not a valid lookup attribute key.`);
    if (value.length < 1 || value.length > 2000)
      throw invalidAttributes('A lookup attribute value must be 1 to 2000 characters long.');
    if (key === 'ReadOnly' && value !== 'true' && value !== 'false')
      throw invalidAttributes('The ReadOnly lookup attribute takes true or false.');
  }
  const startTime = input.StartTime === undefined ? undefined : new Date(input.StartTime * 1000);
  const endTime = input.EndTime === undefined ? undefined : new Date(input.EndTime * 1000);
  if (startTime && endTime && startTime > endTime)
    throw new AwsError('InvalidTimeRangeException', 'The start time of the time range is after its end time.');
  const maxResults = input.MaxResults ?? MAX_RESULTS;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS)
    throw new AwsError('InvalidMaxResultsException', `MaxResults must be from 1 to ${MAX_RESULTS}.`);
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight')
    throw new AwsError('InvalidEventCategoryException', `${String(input.EventCategory)} is not an event category.`);
  return {
    ...(attribute ? { attribute: { key: attribute.AttributeKey, value: attribute.AttributeValue } } : {}),
    startTime,
    endTime,
    insightsOnly: input.EventCategory === 'insight',
    maxResults,
  };
}
