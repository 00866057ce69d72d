import type { SecretsManager } from '@lm/api-model';
import { invalidParameter } from './errors';
import type { Secret } from './secret';

/**
 * ListSecrets' filters as Secrets Manager applies them: each value a prefix, matched without
 * regard to case (tag keys and values, names, descriptions; `all` any of them), `!` before a value
 * negates it; a secret passes a filter when one of its values matches, and every filter. No secret
 * here is replicated nor managed by another service, so primary-region and owning-service match none.
 */
export function matchesFilters(secret: Secret, filters: readonly SecretsManager.Filter[]): boolean {
  return filters.every((filter) => {
    if (filter.Key === undefined || filter.Values === undefined || filter.Values.length === 0)
      throw invalidParameter('A filter needs a Key and at least one value.');
    const key = filter.Key;
    return filter.Values.some((raw) => {
      const negated = raw.startsWith('!');
      const prefix = (negated ? raw.slice(1) : raw).toLowerCase();
      const matched = fieldsOf(secret, key).some((field) => field.toLowerCase().startsWith(prefix));
      return negated ? !matched : matched;
    });
  });
}

function fieldsOf(secret: Secret, key: SecretsManager.FilterNameStringType): string[] {
  const tagKeys = secret.tags.map((tag) => tag.Key);
  const tagValues = secret.tags.map((tag) => tag.Value);
  switch (key) {
    case 'name':
      return [secret.name];
    case 'description':
      return secret.description === undefined ? [] : [secret.description];
    case 'tag-key':
      return tagKeys;
    case 'tag-value':
      return tagValues;
    case 'all':
      return [secret.name, ...(secret.description === undefined ? [] : [secret.description]), ...tagKeys, ...tagValues];
    case 'primary-region':
    case 'owning-service':
      return [];
  }
}
