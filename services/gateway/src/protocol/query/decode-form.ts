import type { ApiModel, MemberRef, Shape } from '@lm/api-model';
import { scalarFromText } from '../scalar-text';

/**
 * Decodes the parameters of an AWS query-protocol request (`Action=...&Version=...&Member=...`)
 * into the JSON value of an input shape, as the other protocols hand it to validation:
 * structures by member name (`A.B`), lists as `Name.member.N` (or `Name.N` when flattened),
 * maps as `Name.entry.N.key` / `.value`, an empty list as `Name=`. Scalars take their shape's
 * type when their text allows it; a text that does not stays a string, so that validation
 * reports it. Parameters the model does not know are ignored, as AWS does.
 */
export function decodeQueryInput(api: ApiModel, shapeName: string, params: URLSearchParams): Record<string, unknown> {
  const values = new Map<string, string>();
  // Every dotted prefix of every parameter, so that finding a list's items costs one lookup each.
  const prefixes = new Set<string>();
  for (const [key, value] of params) {
    values.set(key, value);
    let dot = key.indexOf('.');
    while (dot >= 0) {
      prefixes.add(key.slice(0, dot));
      dot = key.indexOf('.', dot + 1);
    }
    prefixes.add(key);
  }
  const decoded = new FormDecoder(api, values, prefixes).structure(api.shapes[shapeName], '');
  return decoded ?? {};
}

class FormDecoder {
  constructor(
    private readonly api: ApiModel,
    private readonly values: Map<string, string>,
    private readonly prefixes: Set<string>,
  ) {}

  private value(ref: MemberRef, key: string): unknown {
    const shape = this.api.shapes[ref.shape];
    if (!shape) return undefined;
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, `${key}.`);
      case 'list':
        return this.list(shape, key);
      case 'map':
        return this.map(shape, key);
      default: {
        const text = this.values.get(key);
        return text === undefined ? undefined : scalarFromText(shape, text);
      }
    }
  }

  /** `prefix` is '' for the input itself, else the structure's key followed by a dot. */
  structure(shape: Shape, prefix: string): Record<string, unknown> | undefined {
    if (prefix !== '' && !this.prefixes.has(prefix.slice(0, -1))) return undefined;
    const out: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      const value = this.value(ref, `${prefix}${ref.locationName ?? name}`);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  private list(shape: Shape, key: string): unknown[] | undefined {
    if (!this.prefixes.has(key)) return undefined;
    const itemPrefix = shape.flattened ? key : `${key}.${shape.member?.locationName ?? 'member'}`;
    const items: unknown[] = [];
    for (let index = 1; this.prefixes.has(`${itemPrefix}.${index}`); index++) {
      items.push(this.value(shape.member!, `${itemPrefix}.${index}`));
    }
    return items;
  }

  private map(shape: Shape, key: string): Record<string, unknown> | undefined {
    if (!this.prefixes.has(key)) return undefined;
    const entryPrefix = shape.flattened ? key : `${key}.entry`;
    const keyName = shape.key?.locationName ?? 'key';
    const valueName = shape.value?.locationName ?? 'value';
    const entries: Array<[string, unknown]> = [];
    for (let index = 1; this.prefixes.has(`${entryPrefix}.${index}`); index++) {
      const entryKey = this.values.get(`${entryPrefix}.${index}.${keyName}`);
      if (entryKey !== undefined)
        entries.push([entryKey, this.value(shape.value!, `${entryPrefix}.${index}.${valueName}`)]);
    }
    // fromEntries defines the keys as data, so a key such as __proto__ stays a key.
    return Object.fromEntries(entries);
  }
}
