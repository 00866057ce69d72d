/**
 * The expression language of ScriptRuleStatement: a small, side-effect-free boolean language with
 * its own tokenizer, parser and evaluator (never eval or Function), so a script can only read the
 * asset it is given and always ends.
 *
 *     expression := or
 *     or         := and ( "or" and )*
 *     and        := not ( "and" not )*
 *     not        := "not" not | comparison
 *     comparison := operand [ operator operand ]
 *     operator   := "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "contains" | "startsWith" | "endsWith"
 *     operand    := string | number | "true" | "false" | "null" | list | call | name | "(" expression ")"
 *     list       := "[" [ operand ( "," operand )* ] "]"
 *     call       := ( "lower" | "upper" | "length" ) "(" expression ")"
 *
 * Strings are in double or single quotes (backslash escapes the next character). Names are the
 * keys of the statement's asset type (`InstanceType`, `Platform`...: the key's first value, or
 * null when the asset has none), `value` (the first value of the statement's KeyToMatch) and
 * `values` (all of them, a list). `==`/`!=` compare strings without regard to case; `<`... compare
 * numbers (a string that reads as a number counts as one); `x in list`, `list contains x`,
 * `text contains part`. The whole script must be a boolean; anything that is not (a comparison
 * of numbers with text, a missing value) makes the statement false, never an error at evaluation.
 */

export type ScriptValue = string | number | boolean | null | ScriptValue[];

export type ScriptNode =
  | { kind: 'literal'; value: ScriptValue }
  | { kind: 'name'; name: string }
  | { kind: 'list'; items: ScriptNode[] }
  | { kind: 'call'; fn: ScriptFunction; arg: ScriptNode }
  | { kind: 'not'; operand: ScriptNode }
  | { kind: 'logical'; op: 'and' | 'or'; left: ScriptNode; right: ScriptNode }
  | { kind: 'compare'; op: ComparisonOperator; left: ScriptNode; right: ScriptNode };

const COMPARISON_OPERATORS = ['==', '!=', '<', '<=', '>', '>=', 'in', 'contains', 'startsWith', 'endsWith'] as const;
type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
const FUNCTIONS = ['lower', 'upper', 'length'] as const;
type ScriptFunction = (typeof FUNCTIONS)[number];

/** Bounds that keep a script small and its evaluation short. */
export const SCRIPT_LIMITS = { maxLength: 2048, maxDepth: 32 };

export class ScriptSyntaxError extends Error {}

type Token =
  | { type: 'string' | 'word' | 'symbol'; text: string; at: number }
  | { type: 'number'; text: string; value: number; at: number };

const SYMBOLS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', ','];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let text = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) text += source[j] === '\\' ? (source[++j] ?? '') : source[j];
      if (j >= source.length) throw new ScriptSyntaxError(`unterminated string at ${i + 1}`);
      tokens.push({ type: 'string', text, at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const text = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i))![0];
      tokens.push({ type: 'number', text, value: Number(text), at: i });
      i += text.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const text = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))![0];
      tokens.push({ type: 'word', text, at: i });
      i += text.length;
    } else {
      const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
      if (!symbol) throw new ScriptSyntaxError(`unexpected character '${c}' at ${i + 1}`);
      tokens.push({ type: 'symbol', text: symbol, at: i });
      i += symbol.length;
    }
  }
  return tokens;
}

/** Recursive descent over the grammar above; `names` are the names a script may read. */
class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly names: ReadonlySet<string>,
  ) {}

  parse(): ScriptNode {
    if (this.tokens.length === 0) throw new ScriptSyntaxError('the script is empty');
    const node = this.or();
    const rest = this.peek();
    if (rest) throw new ScriptSyntaxError(`unexpected '${rest.text}' at ${rest.at + 1}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private accept(type: Token['type'], text?: string): Token | undefined {
    const token = this.peek();
    if (token && token.type === type && (text === undefined || token.text === text)) {
      this.index++;
      return token;
    }
    return undefined;
  }

  private expect(type: Token['type'], text: string): void {
    if (!this.accept(type, text)) {
      const token = this.peek();
      throw new ScriptSyntaxError(
        token ? `expected '${text}' at ${token.at + 1}, found '${token.text}'` : `expected '${text}' at the end`,
      );
    }
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > SCRIPT_LIMITS.maxDepth)
      throw new ScriptSyntaxError(`nested deeper than ${SCRIPT_LIMITS.maxDepth} levels`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private or(): ScriptNode {
    let left = this.and();
    while (this.accept('word', 'or')) left = { kind: 'logical', op: 'or', left, right: this.and() };
    return left;
  }

  private and(): ScriptNode {
    let left = this.not();
    while (this.accept('word', 'and')) left = { kind: 'logical', op: 'and', left, right: this.not() };
    return left;
  }

  private not(): ScriptNode {
    if (this.accept('word', 'not')) return this.nested(() => ({ kind: 'not', operand: this.not() }));
    return this.comparison();
  }

  private comparison(): ScriptNode {
    const left = this.operand();
    const token = this.peek();
    const op = COMPARISON_OPERATORS.find((o) => token?.text === o && token.type !== 'string');
    if (!op) return left;
    this.index++;
    return { kind: 'compare', op, left, right: this.operand() };
  }

  private operand(): ScriptNode {
    const token = this.peek();
    if (!token) throw new ScriptSyntaxError('the script ends where a value was expected');
    this.index++;
    if (token.type === 'string') return { kind: 'literal', value: token.text };
    if (token.type === 'number') return { kind: 'literal', value: token.value };
    if (token.type === 'symbol' && token.text === '(') {
      const inner = this.nested(() => this.or());
      this.expect('symbol', ')');
      return inner;
    }
    if (token.type === 'symbol' && token.text === '[') return this.nested(() => this.list());
    if (token.type === 'word') {
      if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true' };
      if (token.text === 'null') return { kind: 'literal', value: null };
      const fn = FUNCTIONS.find((f) => f === token.text);
      if (fn && this.accept('symbol', '(')) {
        const arg = this.nested(() => this.or());
        this.expect('symbol', ')');
        return { kind: 'call', fn, arg };
      }
      if (this.names.has(token.text)) return { kind: 'name', name: token.text };
      throw new ScriptSyntaxError(`unknown name '${token.text}' at ${token.at + 1}`);
    }
    throw new ScriptSyntaxError(`unexpected '${token.text}' at ${token.at + 1}`);
  }

  private list(): ScriptNode {
    const items: ScriptNode[] = [];
    if (this.accept('symbol', ']')) return { kind: 'list', items };
    do items.push(this.operand());
    while (this.accept('symbol', ','));
    this.expect('symbol', ']');
    return { kind: 'list', items };
  }
}

/** Parses a script that may read `names`; a ScriptSyntaxError says what is wrong and where. */
export function parseScript(source: string, names: ReadonlySet<string>): ScriptNode {
  if (source.length > SCRIPT_LIMITS.maxLength)
    throw new ScriptSyntaxError(`longer than ${SCRIPT_LIMITS.maxLength} characters`);
  return new Parser(tokenize(source), names).parse();
}

/** Raised inside evaluation when types do not fit; the statement is then false. */
class ScriptTypeError extends Error {}

const asNumber = (value: ScriptValue): number => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (Number.isNaN(n)) throw new ScriptTypeError();
  return n;
};

const asText = (value: ScriptValue): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ScriptTypeError();
};

function equal(left: ScriptValue, right: ScriptValue): boolean {
  if (left === null || right === null) return left === right;
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, i) => equal(item, right[i]))
    );
  }
  return asText(left).toLowerCase() === asText(right).toLowerCase();
}

function compare(op: ComparisonOperator, left: ScriptValue, right: ScriptValue): boolean {
  switch (op) {
    case '==':
      return equal(left, right);
    case '!=':
      return !equal(left, right);
    case '<':
      return asNumber(left) < asNumber(right);
    case '<=':
      return asNumber(left) <= asNumber(right);
    case '>':
      return asNumber(left) > asNumber(right);
    case '>=':
      return asNumber(left) >= asNumber(right);
    case 'in':
      return compare('contains', right, left);
    case 'contains':
      if (Array.isArray(left)) return left.some((item) => equal(item, right));
      return asText(left).toLowerCase().includes(asText(right).toLowerCase());
    case 'startsWith':
      return asText(left).toLowerCase().startsWith(asText(right).toLowerCase());
    case 'endsWith':
      return asText(left).toLowerCase().endsWith(asText(right).toLowerCase());
  }
}

function evaluate(node: ScriptNode, scope: Readonly<Record<string, ScriptValue>>): ScriptValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'name':
      return scope[node.name] ?? null;
    case 'list':
      return node.items.map((item) => evaluate(item, scope));
    case 'call': {
      const arg = evaluate(node.arg, scope);
      if (node.fn === 'length') return Array.isArray(arg) ? arg.length : asText(arg).length;
      return node.fn === 'lower' ? asText(arg).toLowerCase() : asText(arg).toUpperCase();
    }
    case 'not':
      return !truth(evaluate(node.operand, scope));
    case 'logical': {
      const left = truth(evaluate(node.left, scope));
      if (node.op === 'and') return left && truth(evaluate(node.right, scope));
      return left || truth(evaluate(node.right, scope));
    }
    case 'compare':
      return compare(node.op, evaluate(node.left, scope), evaluate(node.right, scope));
  }
}

function truth(value: ScriptValue): boolean {
  if (typeof value !== 'boolean') throw new ScriptTypeError();
  return value;
}

/** Whether a parsed script holds for an asset's values; a type mismatch is false. */
export function scriptHolds(script: ScriptNode, scope: Readonly<Record<string, ScriptValue>>): boolean {
  try {
    return truth(evaluate(script, scope));
  } catch (error) {
    if (error instanceof ScriptTypeError) return false;
    throw error;
  }
}
