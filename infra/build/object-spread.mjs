// Rewrites object literals that go on after a spread ({ ...a, b: 1 }, { ...a, ...b }) into calls of
// one small helper, for the bundles. Why: on Node 20 (V8 11.3) an object made by a spread gets a map
// of its own, and each property added to it after the spread makes another one: about 1 µs a
// property, where building the same object from an empty literal costs tens of nanoseconds
// (docs/performance.md, item 68). The helper copies with Object.assign, which makes the same object,
// in the same order of evaluation (each call copies before the next segment is evaluated).
import { RolldownMagicString } from 'rolldown';
import { parseAst } from 'rolldown/parseAst';

/** The helper's name: one in each bundle, declared by SPREAD_HELPER. */
export const SPREAD_HELPER_NAME = '__lmObjectSpread';

/**
 * Copies `source`'s own enumerable properties onto `target`, as a spread defines them. Object.assign
 * sets them instead, which differs only for a key `__proto__` (a setter on Object.prototype that
 * would replace the target's prototype): such a source is copied property by property.
 */
export const SPREAD_HELPER = `function ${SPREAD_HELPER_NAME}(target, source) {
  if (source == null || !Object.prototype.hasOwnProperty.call(source, '__proto__')) return Object.assign(target, source);
  for (const key of Reflect.ownKeys(source))
    if (Object.prototype.propertyIsEnumerable.call(source, key))
      Object.defineProperty(target, key, { value: source[key], writable: true, enumerable: true, configurable: true });
  return target;
}`;

/** Whether a literal is rewritten: a spread with a member after it, and only plain `key: value` members. */
function rewritable({ properties }) {
  const spreadGoesOn = properties.some((member, i) => member.type === 'SpreadElement' && i < properties.length - 1);
  return (
    spreadGoesOn &&
    properties.every(
      (member) =>
        member.type === 'SpreadElement' ||
        (member.type === 'Property' && member.kind === 'init' && !member.method && !isProtoKey(member)),
    )
  );
}

/** `__proto__: value` sets a literal's prototype: a literal with one is left as it is. */
function isProtoKey(member) {
  if (member.computed) return false;
  return member.key.type === 'Identifier' ? member.key.name === '__proto__' : member.key.value === '__proto__';
}

/** The literal's members in runs: each spread alone, consecutive properties together. */
function segments(properties) {
  const runs = [];
  for (const member of properties) {
    const last = runs.at(-1);
    if (member.type !== 'SpreadElement' && last && !last.spread) last.members.push(member);
    else runs.push({ spread: member.type === 'SpreadElement', members: [member] });
  }
  return runs;
}

/**
 * `{ a, ...b, c: d }` as `helper(helper({ a }, b), { c: d })`: the first run is the object to start
 * from (`{}` when it is a spread), and each later run is copied onto it in turn. Only the text
 * between members changes (and each spread's dots), so nested literals are rewritten on their own.
 */
function rewrite(s, node) {
  const runs = segments(node.properties);
  const [first] = runs;
  const calls = runs.length - (first.spread ? 0 : 1);
  const open = (run) => (run.spread ? '' : '{ ');
  const close = (run, i) => (run.spread ? '' : ' }') + (i === 0 && !run.spread ? '' : ')');
  s.overwrite(
    node.start,
    first.members[0].start,
    `${SPREAD_HELPER_NAME}(`.repeat(calls) + (first.spread ? '{}, ' : '') + open(first),
  );
  runs.forEach((run, i) => {
    // Only the dots: the argument may open with a parenthesis before its own start.
    if (run.spread) s.overwrite(run.members[0].start, run.members[0].start + 3, '');
    const end = run.members.at(-1).end;
    const next = runs[i + 1];
    s.overwrite(end, next ? next.members[0].start : node.end, close(run, i) + (next ? `, ${open(next)}` : ''));
  });
}

/** Every node of the tree, depth first. */
function* nodes(value) {
  if (Array.isArray(value)) for (const item of value) yield* nodes(item);
  else if (value && typeof value === 'object') {
    if (typeof value.type === 'string') yield value;
    for (const key in value) if (key !== 'type' && key !== 'start' && key !== 'end') yield* nodes(value[key]);
  }
}

/** The module's code with its literals rewritten, and the map back to it; null when it has none. */
export function rewriteObjectSpreads(code, id) {
  if (!code.includes('...')) return null;
  const literals = [...nodes(parseAst(code, { sourceType: 'unambiguous' }, id))].filter(
    (node) => node.type === 'ObjectExpression' && rewritable(node),
  );
  if (literals.length === 0) return null;
  const s = new RolldownMagicString(code);
  for (const node of literals) rewrite(s, node);
  return { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }).toString() };
}
