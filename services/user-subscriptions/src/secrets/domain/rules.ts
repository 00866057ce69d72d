import { invalidParameter } from './errors';
import type { SecretTag } from './secret';

/** Secrets Manager's characters of a name: letters, digits and /_+=.@- (the model only bounds its length). */
const NAME = /^[A-Za-z0-9/_+=.@-]+$/;
const MAX_TAGS = 50;

export function checkName(name: string): void {
  if (!NAME.test(name))
    throw invalidParameter(
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    );
}

/** At most 50 tags, none under the reserved aws: prefix. */
export function checkTags(tags: readonly SecretTag[]): void {
  if (tags.length > MAX_TAGS) throw invalidParameter(`A secret can have at most ${MAX_TAGS} tags.`);
  const reserved = tags.find((tag) => tag.Key.toLowerCase().startsWith('aws:'));
  if (reserved) throw invalidParameter(`The tag key ${reserved.Key} uses the reserved prefix aws:.`);
}

/** Exactly one of SecretString and SecretBinary, where a value is required. */
export function checkOneValue(input: { SecretString?: string; SecretBinary?: string }, required: boolean): void {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined)
    throw invalidParameter(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  if (required && input.SecretString === undefined && input.SecretBinary === undefined)
    throw invalidParameter('You must provide either SecretString or SecretBinary.');
}
