import { invalidParameterValue } from '@lm/contracts';

/** A time series: value by timestamp (epoch milliseconds). */
export type Series = Map<number, number>;
type Value = number | Series;

type Node =
  | { kind: 'number'; value: number }
  | { kind: 'reference'; id: string }
  | { kind: 'negate'; operand: Node }
  | { kind: 'binary'; operator: '+' | '-' | '*' | '/'; left: Node; right: Node }
  | { kind: 'sum'; items: Node[] };

const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()[\],]))/y;

/**
 * Metric math's arithmetic (`m1/m2*100`, `(m1+m2)/2`, `-m1`): numbers, query ids, + - * / and
 * parentheses with the usual precedence; and SUM of an array of series (`SUM([m1, m2, m3])`, how
 * a monitoring account adds up its source accounts' metrics, each query naming its AccountId).
 * Other functions (METRICS, SEARCH...) are not offered here: an expression that names one is
 * refused rather than answered wrongly.
 */
export function parseExpression(text: string): Node {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const fail = (why: string): never => {
    throw invalidParameterValue(`The expression ${JSON.stringify(text)} is not valid: ${why}.`);
  };
  const expression = (): Node => {
    let node = term();
    while (peek() === '+' || peek() === '-') {
      const operator = tokens[position++] as '+' | '-';
      node = { kind: 'binary', operator, left: node, right: term() };
    }
    return node;
  };
  const term = (): Node => {
    let node = factor();
    while (peek() === '*' || peek() === '/') {
      const operator = tokens[position++] as '*' | '/';
      node = { kind: 'binary', operator, left: node, right: factor() };
    }
    return node;
  };
  const factor = (): Node => {
    const token = tokens[position++];
    if (token === undefined) return fail('it ends too early');
    if (token === '-') return { kind: 'negate', operand: factor() };
    if (token === '(') {
      const inner = expression();
      if (tokens[position++] !== ')') fail('a parenthesis is not closed');
      return inner;
    }
    if (/^[\d.]/.test(token)) return { kind: 'number', value: Number(token) };
    if (/^[A-Za-z_]/.test(token)) {
      if (peek() !== '(') return { kind: 'reference', id: token };
      if (token !== 'SUM')
        fail(`the function ${token} is not supported (only SUM, and + - * / on metrics and numbers)`);
      position++;
      const items = peek() === '[' ? array() : [expression()];
      if (tokens[position++] !== ')') fail('a parenthesis is not closed');
      return { kind: 'sum', items };
    }
    return fail(`unexpected ${token}`);
  };
  const array = (): Node[] => {
    position++;
    const items = [expression()];
    while (peek() === ',') {
      position++;
      items.push(expression());
    }
    if (tokens[position++] !== ']') fail('a bracket is not closed');
    return items;
  };
  const node = expression();
  if (position < tokens.length) fail(`unexpected ${tokens[position]}`);
  return node;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let rest = text.trim();
  while (rest.length > 0) {
    TOKEN.lastIndex = 0;
    const match = TOKEN.exec(rest);
    if (!match)
      throw invalidParameterValue(`The expression ${JSON.stringify(text)} is not valid: unexpected ${rest[0]}.`);
    tokens.push((match[1] ?? match[2] ?? match[3])!);
    rest = rest.slice(match[0].length).trimStart();
  }
  if (tokens.length === 0) throw invalidParameterValue('The expression is empty.');
  return tokens;
}

/** The ids an expression reads. */
export function referencedIds(node: Node): string[] {
  switch (node.kind) {
    case 'number':
      return [];
    case 'reference':
      return [node.id];
    case 'negate':
      return referencedIds(node.operand);
    case 'binary':
      return [...referencedIds(node.left), ...referencedIds(node.right)];
    case 'sum':
      return node.items.flatMap(referencedIds);
  }
}

/**
 * The series an expression makes: between two series, at the timestamps both have; between a
 * series and a number, at each of the series' timestamps. A division by zero leaves its point
 * out, as CloudWatch does. An expression must read at least one metric.
 */
export function evaluateExpression(node: Node, resolve: (id: string) => Series): Series {
  const value = evaluate(node, resolve);
  if (typeof value === 'number')
    throw invalidParameterValue('A metric math expression must reference at least one metric or expression.');
  return value;
}

function evaluate(node: Node, resolve: (id: string) => Series): Value {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'reference':
      return resolve(node.id);
    case 'negate':
      return combine(-1, evaluate(node.operand, resolve), '*');
    case 'binary':
      return combine(evaluate(node.left, resolve), evaluate(node.right, resolve), node.operator);
    case 'sum':
      return sum(node.items.map((item) => evaluate(item, resolve)));
  }
}

/** SUM of series: at each timestamp any of them has, the sum of the values there (numbers are refused). */
function sum(values: Value[]): Series {
  const out: Series = new Map();
  for (const value of values) {
    if (typeof value === 'number') throw invalidParameterValue('SUM adds time series: each item must be one.');
    for (const [t, v] of value) out.set(t, (out.get(t) ?? 0) + v);
  }
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

function combine(left: Value, right: Value, operator: '+' | '-' | '*' | '/'): Value {
  const apply = (a: number, b: number) =>
    operator === '+' ? a + b : operator === '-' ? a - b : operator === '*' ? a * b : b === 0 ? undefined : a / b;
  if (typeof left === 'number' && typeof right === 'number') {
    const result = apply(left, right);
    if (result === undefined) throw invalidParameterValue('The expression divides by zero.');
    return result;
  }
  const out: Series = new Map();
  const timestamps = typeof left === 'number' ? [...(right as Series).keys()] : [...left.keys()];
  for (const t of timestamps) {
    const a = typeof left === 'number' ? left : left.get(t);
    const b = typeof right === 'number' ? right : right.get(t);
    if (a === undefined || b === undefined) continue;
    const result = apply(a, b);
    if (result !== undefined) out.set(t, result);
  }
  return out;
}

export type ExpressionNode = Node;
