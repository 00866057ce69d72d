import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue, TAG_LIMITS } from '@lm/contracts';

export type Tags = Record<string, string>;

/**
 * AWS tagging rules with the shared limits (TAG_LIMITS), as license configurations have always
 * answered them: aws: keys reserved, InvalidParameterValueException, a repeated key's last value wins.
 */
export function validateTagList(tags: readonly LicenseManager.Tag[]): Tags {
  const result: Tags = {};
  for (const tag of tags) {
    const key = tag.Key;
    const value = tag.Value ?? '';
    if (key === undefined || key.length < 1 || key.length > TAG_LIMITS.maxKeyLength)
      throw invalidParameterValue(`A tag key must be 1 to ${TAG_LIMITS.maxKeyLength} characters long.`);
    if (value.length > TAG_LIMITS.maxValueLength)
      throw invalidParameterValue(`The value of tag ${key} is longer than ${TAG_LIMITS.maxValueLength} characters.`);
    if (key.toLowerCase().startsWith('aws:'))
      throw invalidParameterValue(`Tag key ${key} uses the reserved prefix aws:.`);
    result[key] = value;
  }
  return result;
}

export function mergeTags(current: Tags, added: Tags): Tags {
  const merged = { ...current, ...added };
  if (Object.keys(merged).length > TAG_LIMITS.maxTags) {
    throw invalidParameterValue(`A resource can have at most ${TAG_LIMITS.maxTags} tags.`);
  }
  return merged;
}

export function toTagList(tags: Tags): LicenseManager.Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
