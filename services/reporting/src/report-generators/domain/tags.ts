import type { LicenseManager } from '@lm/api-model';
import { validation } from '@lm/contracts';

/** AWS tag limits. */
const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

/** The tags after adding (or replacing by key) some: each with a key, keys unique, within AWS's limits. */
export function withTags(current: LicenseManager.Tag[], added: LicenseManager.Tag[]): LicenseManager.Tag[] {
  const keys = new Set<string>();
  for (const { Key, Value } of added) {
    if (!Key || Key.length > MAX_KEY_LENGTH) throw validation(`A tag key must have 1 to ${MAX_KEY_LENGTH} characters.`);
    if ((Value ?? '').length > MAX_VALUE_LENGTH)
      throw validation(`Tag ${Key}: a value has at most ${MAX_VALUE_LENGTH} characters.`);
    if (keys.has(Key)) throw validation(`Tag ${Key} is given twice.`);
    keys.add(Key);
  }
  const merged = [...current.filter((tag) => !keys.has(tag.Key!)), ...added];
  if (merged.length > MAX_TAGS) throw validation(`A report generator can have at most ${MAX_TAGS} tags.`);
  return merged;
}

export const withoutTags = (current: LicenseManager.Tag[], keys: string[]) =>
  current.filter((tag) => !keys.includes(tag.Key!));
