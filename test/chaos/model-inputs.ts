import type { ApiModel } from '@lm/api-model';

/** One input that sets a single member somewhere in an operation's input, and where AWS reports a rule it breaks. */
export interface MemberInput {
  input: unknown;
  /** The member path AWS reports a broken rule at: a collection's own path for its scalar items and map keys. */
  reportedAt: string;
}

const lowerCamel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * Every string member reachable from a shape (structure members, list items, map keys and values,
 * at any depth): an input that sets only it to `value`, wrapped in the collections and structures
 * above it. Walks the model, so a member added to it is covered without a test changing.
 */
export function* stringMemberInputs(
  api: ApiModel,
  shapeName: string,
  value: string,
  path = '',
  within: readonly string[] = [],
): Generator<MemberInput> {
  const shape = api.shapes[shapeName];
  if (!shape || within.includes(shapeName)) return;
  const seen = [...within, shapeName];
  const isString = (name?: string) => name !== undefined && api.shapes[name]?.type === 'string';
  const nested = function* (name: string, at: string, wrap: (inner: unknown) => unknown) {
    for (const member of stringMemberInputs(api, name, value, at, seen))
      yield { input: wrap(member.input), reportedAt: member.reportedAt };
  };
  switch (shape.type) {
    case 'string':
      yield { input: value, reportedAt: path };
      return;
    case 'structure':
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location === 'headers') continue;
        const at = path === '' ? lowerCamel(name) : `${path}.${lowerCamel(name)}`;
        yield* nested(ref.shape, at, (inner) => ({ [name]: inner }));
      }
      return;
    case 'list':
      if (!shape.member) return;
      if (isString(shape.member.shape)) yield { input: [value], reportedAt: path };
      else yield* nested(shape.member.shape, `${path}.1.member`, (inner) => [inner]);
      return;
    case 'map':
      if (isString(shape.key?.shape))
        yield { input: { [value]: isString(shape.value?.shape) ? 'v' : {} }, reportedAt: path };
      if (isString(shape.value?.shape)) yield { input: { k: value }, reportedAt: path };
      else if (shape.value) yield* nested(shape.value.shape, `${path}.k`, (inner) => ({ k: inner }));
      return;
    default:
      return;
  }
}
