import {
  isAbortedTransactionError,
  type Compilable,
  type CompiledQuery,
  type DatabaseConnection,
  type Transaction,
} from 'kysely';

/** PostgreSQL's in_failed_sql_transaction: a statement refused because an earlier one failed. */
const IN_FAILED_TRANSACTION = '25P02';

/**
 * Statements of a transaction sent on its session at once, behind whatever the session sent
 * before, without waiting for their answers: a write whose answer nobody reads (a projection's
 * upsert, a shared lock) costs no round trip of its own, and goes out with the statements sent
 * after it (the service pool's sessions are pipelined and write a turn of the event loop's
 * messages together, see @lm/service-kit's database pool). Later statements of the transaction,
 * sent or awaited, run after them on the server, so they see what these wrote.
 *
 * A statement that fails leaves the transaction aborted: every later statement fails and the
 * commit rolls back (Kysely reports that commit as AbortedTransactionError). `causeOf` finds the
 * failure to report instead.
 */
export class StatementPipeline {
  private readonly answers: Promise<void>[] = [];
  private failure?: { error: unknown };

  private constructor(private readonly connection: DatabaseConnection) {}

  /** The pipeline of `trx`'s session. */
  static async of(trx: Transaction<any>): Promise<StatementPipeline> {
    return new StatementPipeline(await trx.getExecutor().provideConnection(async (connection) => connection));
  }

  /** Sends the statement now; its answer is only checked by firstFailure. */
  send(statement: Compilable<unknown> | CompiledQuery<unknown>): void {
    const compiled = 'compile' in statement ? statement.compile() : statement;
    // Answers come in the order the statements were sent, so the first failure is the first set.
    this.answers.push(
      this.connection.executeQuery(compiled).then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= { error };
        },
      ),
    );
  }

  /** Once every statement sent has its answer: the first one's failure, or undefined if none failed. */
  async firstFailure(): Promise<unknown> {
    await Promise.all(this.answers);
    return this.failure?.error;
  }

  /** Once every statement sent has its answer: throws the first one's failure. */
  async settle(): Promise<void> {
    const failure = await this.firstFailure();
    if (failure !== undefined) throw failure;
  }

  /**
   * What to report of a transaction that failed with `thrown`, once every statement sent has its
   * answer: the first sent statement's failure when `thrown` was only its consequence (a statement
   * refused in the aborted transaction, or the commit answered with a rollback), else `thrown`.
   */
  async causeOf(thrown: unknown): Promise<unknown> {
    const failure = await this.firstFailure();
    if (failure === undefined || isRefusedAfterFailure(failure)) return thrown;
    return isRefusedAfterFailure(thrown) || isAbortedTransactionError(thrown) ? failure : thrown;
  }
}

function isRefusedAfterFailure(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === IN_FAILED_TRANSACTION;
}
