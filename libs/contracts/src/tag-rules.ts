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
