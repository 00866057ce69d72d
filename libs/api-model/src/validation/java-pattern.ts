/**
 * Translation of the Java regular expressions in AWS models (`pattern` traits, checked by the
 * services with java.util.regex `matches()`, i.e. against the whole value) into JS RegExps.
 *
 * Java-only syntax with a faithful JS equivalent is rewritten; syntax without one (atomic
 * groups, class intersections, mid-pattern flags, ...) makes the translation fail, and the
 * caller then skips the pattern: a missed check is better than rejecting valid input.
 */

/** Java's POSIX classes are ASCII-only, as class contents. */
const POSIX_CLASSES: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

/** Java's \h (horizontal whitespace), as class contents. */
const HORIZONTAL_SPACE = '\\t \\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';

/** Characters that are escaped in JS `u` mode regexes; any other escaped punctuation is an error there. */
const SYNTAX_CHARACTERS = new Set('^$\\.*+?()[]{}|/');

/** Escapes JS passes through unchanged, with the same meaning as in Java. */
const SHARED_ESCAPES = new Set('dDsSwWbBnrtfk123456789');

const INLINE_FLAGS: Record<string, string> = { i: 'i', s: 's', m: 'm' };

class Untranslatable extends Error {}

/** The whole-value JS RegExp equivalent to a Java pattern, or undefined when there is none. */
export function compileJavaPattern(pattern: string): RegExp | undefined {
  try {
    const { source, flags } = translate(pattern);
    return new RegExp(`^(?:${source})$`, `u${flags}`);
  } catch {
    return undefined;
  }
}

function translate(pattern: string): { source: string; flags: string } {
  let flags = '';
  let i = 0;
  // Java allows flags anywhere; JS only for the whole regex, so only a leading group is kept.
  const leading = /^\(\?([a-z]+)\)/.exec(pattern);
  if (leading) {
    for (const flag of leading[1]) {
      if (flag === 'u') continue; // Unicode-aware case folding: JS 'u' with 'i' already does it.
      if (!INLINE_FLAGS[flag]) throw new Untranslatable();
      flags += INLINE_FLAGS[flag];
    }
    i = leading[0].length;
  }

  let out = '';
  let inClass = false;
  let classStart = -1;
  let afterQuantifier = false;
  while (i < pattern.length) {
    const char = pattern[i];
    const quantifierBefore = afterQuantifier;
    afterQuantifier = false;

    if (char === '\\') {
      const { text, length } = translateEscape(pattern, i, inClass);
      out += text;
      i += length;
      continue;
    }
    if (inClass) {
      if (char === '[' || pattern.startsWith('&&', i)) throw new Untranslatable(); // Java union / intersection.
      if (char === ']') {
        // Java reads a ']' first in a class as a literal; JS as the end of an empty class.
        if (i === classStart) throw new Untranslatable();
        inClass = false;
      }
      out += char;
      i += 1;
      continue;
    }
    if (char === '[') {
      inClass = true;
      classStart = pattern[i + 1] === '^' ? i + 2 : i + 1;
      out += char;
      i += 1;
      continue;
    }
    if (char === '(' && pattern[i + 1] === '?') {
      const group = /^\(\?(?::|=|!|<=|<!|<[A-Za-z][A-Za-z0-9]*>)/.exec(pattern.slice(i));
      if (!group) throw new Untranslatable(); // Atomic groups, inline flags.
      out += group[0];
      i += group[0].length;
      continue;
    }
    if (char === '+' && quantifierBefore) {
      i += 1; // Possessive quantifier: JS has none; accepting the same strings as the greedy one.
      continue;
    }
    if (char === '*' || char === '+' || char === '?' || char === '}') afterQuantifier = true;
    out += char;
    i += 1;
  }
  if (inClass) throw new Untranslatable();
  return { source: out, flags };
}

function translateEscape(pattern: string, at: number, inClass: boolean): { text: string; length: number } {
  const next = pattern[at + 1];
  if (next === undefined) throw new Untranslatable();
  if (next === 'Q') {
    const end = pattern.indexOf('\\E', at + 2);
    const quoted = pattern.slice(at + 2, end < 0 ? pattern.length : end);
    const length = end < 0 ? pattern.length - at : end + 2 - at;
    return { text: [...quoted].map((c) => literal(c, inClass)).join(''), length };
  }
  if (!/[A-Za-z0-9]/.test(next)) return { text: literal(next, inClass), length: 2 };
  if (SHARED_ESCAPES.has(next)) return { text: `\\${next}`, length: 2 };

  switch (next) {
    case 'A':
      return outsideClass('^', inClass);
    case 'z':
    case 'Z':
      return outsideClass('$', inClass);
    case 'a':
      return { text: '\\x07', length: 2 };
    case 'e':
      return { text: '\\x1B', length: 2 };
    case 'h':
      return { text: inClass ? HORIZONTAL_SPACE : `[${HORIZONTAL_SPACE}]`, length: 2 };
    case 'c':
      return { text: pattern.slice(at, at + 3), length: 3 };
    case 'u':
      return { text: pattern.slice(at, at + 6), length: 6 };
    case 'x': {
      const braced = /^\\x\{([0-9a-fA-F]+)\}/.exec(pattern.slice(at));
      if (braced) return { text: `\\u{${braced[1]}}`, length: braced[0].length };
      return { text: pattern.slice(at, at + 4), length: 4 };
    }
    case 'p':
    case 'P':
      return translateProperty(pattern, at, inClass);
    default:
      throw new Untranslatable(); // \G, \R, \X, \0 octals, ...: no JS equivalent.
  }
}

function outsideClass(text: string, inClass: boolean): { text: string; length: number } {
  if (inClass) throw new Untranslatable();
  return { text, length: 2 };
}

function literal(char: string, inClass: boolean): string {
  if (SYNTAX_CHARACTERS.has(char) || (inClass && char === '-')) return `\\${char}`;
  return char;
}

/** \p{Name}, \P{Name} and the one-letter \pL: Java POSIX names, categories and Is-prefixed properties. */
function translateProperty(pattern: string, at: number, inClass: boolean): { text: string; length: number } {
  const negated = pattern[at + 1] === 'P';
  const braced = /^\\[pP]\{([A-Za-z_=]+)\}/.exec(pattern.slice(at));
  const name = braced ? braced[1] : pattern[at + 2];
  const length = braced ? braced[0].length : 3;
  if (!name || !/^[A-Za-z_=]+$/.test(name)) throw new Untranslatable();

  const posix = POSIX_CLASSES[name];
  if (posix !== undefined) {
    if (!inClass) return { text: `[${negated ? '^' : ''}${posix}]`, length };
    if (negated) throw new Untranslatable();
    return { text: posix, length };
  }
  // Unicode blocks (InGreek) have no JS counterpart; Is-prefixed names are categories or
  // binary properties that JS knows without the prefix. Unknown names fail in `new RegExp`.
  if (name.startsWith('In')) throw new Untranslatable();
  const jsName = name.startsWith('Is') ? name.slice(2) : name;
  return { text: `\\${negated ? 'P' : 'p'}{${jsName}}`, length };
}
