import { CompiledQuery, type Compilable, type Kysely, type QueryResult, type RawBuilder } from 'kysely';

/** What a precompiled query is built as: a query builder's query, or a `sql` template. */
type Buildable<R> = Compilable<R> | RawBuilder<R>;

/** Stands for the value of `key` while the query is compiled. */
class Placeholder {
  constructor(readonly key: string) {}
}

interface Compiled {
  sql: string;
  parameters: readonly unknown[];
  keys: ReadonlySet<string>;
}

/**
 * A query Kysely builds and compiles once, on its first run, and that later runs only bind their
 * values into: building and compiling each statement of a hot path (an append, its guards and
 * inline projections) again on every request was about a sixth of a service's CPU on writes.
 * `build` places the values of `params` in the query without looking at them: on the first run it
 * is given a placeholder for each, whose places among the compiled parameters tell where each
 * run's values go. So the query's shape must not depend on them (no `in` list of one, no condition
 * on one), and every run names the same keys; a value the compiled query does not carry as a
 * parameter, or a key the first run did not name, is refused.
 */
export function precompiled<DB, P extends Record<string, unknown>, R>(
  build: (db: Kysely<DB>, params: P) => Buildable<R>,
): PrecompiledQuery<DB, P, R> {
  let compiled: Compiled | undefined;
  const bind = (db: Kysely<DB>, params: P): CompiledQuery<R> => {
    compiled ??= compileWithPlaceholders(db, build, Object.keys(params));
    const { sql, parameters, keys } = compiled;
    let named = 0;
    for (const key in params) {
      if (!keys.has(key)) throw new TypeError(`precompiled query: ${key} is not one of its parameters (${sql})`);
      named++;
    }
    if (named !== keys.size) throw new TypeError(`precompiled query: every run names ${[...keys].join(', ')}`);
    const values = parameters.map((parameter) =>
      parameter instanceof Placeholder ? params[parameter.key] : parameter,
    );
    return CompiledQuery.raw(sql, values) as CompiledQuery<R>;
  };
  return Object.assign(async (db: Kysely<DB>, params: P) => db.executeQuery(bind(db, params)), { bind });
}

/** A precompiled query: run it, or bind it to send it yourself (through a StatementPipeline). */
export interface PrecompiledQuery<DB, P, R> {
  (db: Kysely<DB>, params: P): Promise<QueryResult<R>>;
  /** The statement with `params` bound, not run. */
  bind(db: Kysely<DB>, params: P): CompiledQuery<R>;
}

function compileWithPlaceholders<DB, P extends Record<string, unknown>>(
  db: Kysely<DB>,
  build: (db: Kysely<DB>, params: P) => Buildable<unknown>,
  keys: string[],
): Compiled {
  const placeholders = Object.fromEntries(keys.map((key) => [key, new Placeholder(key)])) as unknown as P;
  const query = build(db, placeholders);
  const { sql, parameters } = 'isRawBuilder' in query ? query.compile(db) : query.compile();
  const placed = new Set(parameters.flatMap((parameter) => (parameter instanceof Placeholder ? [parameter.key] : [])));
  const missing = keys.filter((key) => !placed.has(key));
  if (missing.length > 0) throw new TypeError(`precompiled query: ${missing.join(', ')} are not parameters of ${sql}`);
  return { sql, parameters, keys: new Set(keys) };
}
