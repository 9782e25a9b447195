import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema.js';

/**
 * A query Kysely builds and compiles once, for the store's dialect; each call only puts its
 * arguments in place of the parameters. Building and compiling a query took more CPU than SQLite
 * took to run it for the short reads of a reconnecting client.
 *
 * `build` is called once with a stand-in for each argument; every stand-in must end up as a
 * parameter of the compiled query (Kysely passes values as parameters; an `in` list would not do,
 * its length is part of the SQL).
 */
export function prepareQuery<Args extends readonly unknown[], Row, DB = Database>(
  db: Kysely<DB>,
  arity: Args['length'],
  build: (...args: Args) => Compilable<Row>,
): (...args: Args) => Promise<Row[]> {
  const bind = compileOnce(arity, build);
  return async (...args) => (await db.executeQuery(bind(args))).rows;
}

/** Whatever runs compiled queries of the schema: the database itself or a transaction on it. */
export type QueryRunner = Pick<Kysely<never>, 'executeQuery'>;

/**
 * prepareQuery for a statement that runs inside a transaction (or anywhere else): the caller names
 * where, and gets the whole result (`numAffectedRows` of an update, the rows it returned).
 */
export function prepareStatement<Args extends readonly unknown[], Row>(
  arity: Args['length'],
  build: (...args: Args) => Compilable<Row>,
): (runner: QueryRunner, ...args: Args) => Promise<QueryResult<Row>> {
  const bind = compileOnce(arity, build);
  return (runner, ...args) => runner.executeQuery(bind(args));
}

/** The SQL of every compiled-once query, with the name PostgreSQL knows its prepared statement by. */
const statementNames = new Map<string, string>();

/**
 * The name to prepare this SQL under on PostgreSQL, if it is one of the compiled-once queries
 * (store/db.ts). Each connection then parses and plans it once instead of on every call; these
 * are the hot, simple statements, whose plans do not depend on their arguments.
 */
export function preparedStatementName(sql: string): string | undefined {
  return statementNames.get(sql);
}

function compileOnce<Args extends readonly unknown[], Row>(arity: number, build: (...args: Args) => Compilable<Row>): (args: Args) => CompiledQuery<Row> {
  const standIns = Array.from({ length: arity }, (_, index) => `\u0000arg${index}\u0000`);
  const compiled = build(...(standIns as unknown as Args)).compile();
  if (!statementNames.has(compiled.sql)) statementNames.set(compiled.sql, `sb_prepared_${statementNames.size + 1}`);
  // For each parameter of the compiled query: the index of the argument it takes, or -1 (a constant).
  const argumentAt = compiled.parameters.map((parameter) => standIns.indexOf(parameter as string));
  for (let index = 0; index < arity; index += 1) {
    if (!argumentAt.includes(index)) throw new Error(`prepareQuery: argument ${index} is not a parameter of: ${compiled.sql}`);
  }
  return (args) => {
    const parameters = argumentAt.map((at, position) => (at < 0 ? compiled.parameters[position] : args[at]));
    return CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<Row>;
  };
}
