import type { LicenseManager } from '@lm/api-model';
import { validation } from './aws-errors';

/** AWS's tag limits, the same for every License Manager resource that takes tags. */
export const TAG_LIMITS = { maxTags: 50, maxKeyLength: 128, maxValueLength: 256 } as const;

/** Tags as a request gives them: each with a key, keys unique, within AWS's limits. */
export function assertTags(tags: readonly LicenseManager.Tag[]): void {
  const { maxKeyLength, maxValueLength } = TAG_LIMITS;
  const keys = new Set<string>();
  for (const { Key, Value } of tags) {
    if (!Key || Key.length > maxKeyLength) throw validation(`A tag key must have 1 to ${maxKeyLength} characters.`);
    if ((Value ?? '').length > maxValueLength)
      throw validation(`Tag ${Key}: a value has at most ${maxValueLength} characters.`);
    if (keys.has(Key)) throw validation(`Tag ${Key} is given twice.`);
    keys.add(Key);
  }
}

/**
 * The tags after adding (or replacing by key) some, refused past the AWS limit. `holder` names
 * the resource in that refusal ("A report generator can have at most 50 tags.").
 */
export function withTags(
  current: readonly LicenseManager.Tag[],
  added: readonly LicenseManager.Tag[],
  holder = 'A resource',
): LicenseManager.Tag[] {
  assertTags(added);
  const replaced = new Set(added.map((tag) => tag.Key));
  const merged = [...current.filter((tag) => !replaced.has(tag.Key)), ...added];
  if (merged.length > TAG_LIMITS.maxTags) throw validation(`${holder} can have at most ${TAG_LIMITS.maxTags} tags.`);
  return merged;
}

/** The tags without those of these keys. */
export const withoutTags = (current: readonly LicenseManager.Tag[], keys: readonly string[]): LicenseManager.Tag[] =>
  current.filter((tag) => !keys.includes(tag.Key!));

/*
 * Tags as a map of key to value: the form of the user-based and Linux subscriptions APIs
 * (and of their events), under the same limits.
 */

/** A map of tags within AWS's limits: 1 to 128 characters a key, a string of at most 256 a value, 50 at most. */
export function assertTagMap(tags: Record<string, unknown>): asserts tags is Record<string, string> {
  const { maxTags, maxKeyLength, maxValueLength } = TAG_LIMITS;
  const entries = Object.entries(tags);
  if (entries.length > maxTags) throw validation(`A resource can have at most ${maxTags} tags.`);
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > maxKeyLength)
      throw validation(`A tag key must have 1 to ${maxKeyLength} characters.`);
    if (typeof value !== 'string' || value.length > maxValueLength)
      throw validation(`Tag ${key}: a value has at most ${maxValueLength} characters.`);
  }
}

/** The tag map after `added` (replacing by key), refused past AWS's 50. `holder` names the resource in that refusal. */
export function tagMapWith(
  current: Record<string, string>,
  added: Record<string, string>,
  holder = 'A resource',
): Record<string, string> {
  const merged = { ...current, ...added };
  if (Object.keys(merged).length > TAG_LIMITS.maxTags)
    throw validation(`${holder} can have at most ${TAG_LIMITS.maxTags} tags.`);
  return merged;
}

/** Of `tagKeys`, those the resource has: removing others changes nothing (as AWS answers it). */
export const presentTagKeys = (current: Record<string, string>, tagKeys: string[]): string[] =>
  tagKeys.filter((key) => Object.hasOwn(current, key));

/** The tag map without `tagKeys`. */
export function tagMapWithout(current: Record<string, string>, tagKeys: string[]): Record<string, string> {
  const removed = new Set(tagKeys);
  return Object.fromEntries(Object.entries(current).filter(([key]) => !removed.has(key)));
}
