import { createHash } from 'node:crypto';
import { stringifyExactJson } from '@lm/contracts';
import { Query } from 'pg';

/**
 * Statement names for parameterised queries, so that each session prepares a statement once and
 * then only binds and executes it: PostgreSQL parses and plans a query sent unnamed every time,
 * which was a large part of its CPU per request (every query Kysely builds has the same text for
 * the same shape, its values travel apart). Names are kept for the first MAX_NAMED texts a process
 * sends: a query built with a varying shape (an IN list of any length) would otherwise prepare
 * without end in every session; past that, texts go unnamed, as before.
 */
const MAX_NAMED = 2_000;

const names = new Map<string, string>();

/** The name to prepare `text` under, or undefined when it goes unnamed. */
export function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `lm_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A pg query call's arguments, named when they are a parameterised text (Kysely's calls:
 * `(text, values)`); anything else (transaction control, config objects, callbacks) as given.
 */
export function asPreparedQuery(args: unknown[]): unknown[] {
  const [text, sent, ...rest] = args;
  if (typeof text !== 'string' || !Array.isArray(sent) || sent.length === 0 || rest.length > 0) return args;
  const values = sent.map(asExactJsonParameter);
  const name = statementName(text);
  return name === undefined ? [text, values] : [{ name, text, values }];
}

/** A parameterised text to send as a prepared statement of that name (see asPreparedQuery). */
interface NamedQuery {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * Sends a query through `send`, a pg session's query function, as asPreparedQuery gives it. A named
 * one goes as a pg Query built from its text, answered by a promise: given a config object, pg
 * first copies it property descriptor by property descriptor (cloneQueryConfig): about 3 µs a
 * statement, where a Query made from the text costs 0.1-0.2 (docs/performance.md, item 66).
 */
export function sendPrepared(send: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  const prepared = asPreparedQuery(args);
  // Only what asPreparedQuery named: a caller's own config object may hold more (a row mode, types).
  if (prepared === args || prepared.length !== 1) return send(...prepared);
  const { name, text, values } = prepared[0] as NamedQuery;
  return new Promise((resolve, reject) => {
    const query = new Query(text, values, (error, result) => (error ? reject(error) : resolve(result)));
    (query as Query & { name: string }).name = name;
    send(query);
  });
}

/**
 * A plain object parameter (a jsonb value) as its JSON text with longs exact (see @lm/contracts
 * exact-json): pg would write it with JSON.stringify, which throws on a bigint.
 */
function asExactJsonParameter(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const prototype = Object.getPrototypeOf(value) as unknown;
  const plain = (prototype === Object.prototype || prototype === null) && !('toPostgres' in value);
  return plain ? stringifyExactJson(value) : value;
}
