import { describe, expect, it } from 'vitest';
import { AwsError } from '../src/aws-error';
import { assertTags, withoutTags, withTags } from '../src/tag-rules';

const tag = (Key: string, Value = 'v') => ({ Key, Value });
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof AwsError ? `${error.code}: ${error.message}` : String(error);
  }
  return 'accepted';
};

describe('tag rules', () => {
  it('accepts keys of 1 to 128 characters and values of up to 256, a value missing or empty', () => {
    expect(() => assertTags([tag('k'.repeat(128), 'v'.repeat(256)), { Key: 'a' }, tag('b', '')])).not.toThrow();
  });

  it('refuses an empty or missing key, a long key or value, and a key given twice', () => {
    expect(refusal(() => assertTags([tag('')]))).toBe('ValidationException: A tag key must have 1 to 128 characters.');
    expect(refusal(() => assertTags([{ Value: 'v' }]))).toMatch(/^ValidationException: A tag key/);
    expect(refusal(() => assertTags([tag('k'.repeat(129))]))).toMatch(/^ValidationException: A tag key/);
    expect(refusal(() => assertTags([tag('k', 'v'.repeat(257))]))).toBe(
      'ValidationException: Tag k: a value has at most 256 characters.',
    );
    expect(refusal(() => assertTags([tag('k'), tag('k')]))).toBe('ValidationException: Tag k is given twice.');
  });

  it('replaces the value of a key already there and keeps the others', () => {
    expect(withTags([tag('a', '1'), tag('b', '2')], [tag('a', '3')])).toEqual([tag('b', '2'), tag('a', '3')]);
  });

  it('refuses a 51st tag, naming the resource the caller gives', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => tag(`k${i}`));
    expect(withTags(fifty, [tag('k0', 'new')])).toHaveLength(50);
    expect(refusal(() => withTags(fifty, [tag('k50')]))).toBe(
      'ValidationException: A resource can have at most 50 tags.',
    );
    expect(refusal(() => withTags(fifty, [tag('k50')], 'A report generator'))).toBe(
      'ValidationException: A report generator can have at most 50 tags.',
    );
  });

  it('removes the tags of the keys given, ignoring keys not there', () => {
    expect(withoutTags([tag('a'), tag('b'), tag('c')], ['a', 'c', 'z'])).toEqual([tag('b')]);
  });
});
