import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue } from '@lm/contracts';

export type Tags = Record<string, string>;

/** AWS tagging rules: 50 tags per resource, keys 1-128 and values 0-256 characters, aws: reserved. */
export const MAX_TAGS_PER_RESOURCE = 50;

export function validateTagList(tags: readonly LicenseManager.Tag[]): Tags {
  const result: Tags = {};
  for (const tag of tags) {
    const key = tag.Key;
    const value = tag.Value ?? '';
    if (key === undefined || key.length < 1 || key.length > 128)
      throw invalidParameterValue('A tag key must be 1 to 128 characters long.');
    if (value.length > 256) throw invalidParameterValue(`The value of tag ${key} is longer than 256 characters.`);
    if (key.toLowerCase().startsWith('aws:'))
      throw invalidParameterValue(`Tag key ${key} uses the reserved prefix aws:.`);
    result[key] = value;
  }
  return result;
}

export function mergeTags(current: Tags, added: Tags): Tags {
  const merged = { ...current, ...added };
  if (Object.keys(merged).length > MAX_TAGS_PER_RESOURCE) {
    throw invalidParameterValue(`A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags.`);
  }
  return merged;
}

export function toTagList(tags: Tags): LicenseManager.Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
