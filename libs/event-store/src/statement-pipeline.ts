import {
  isAbortedTransactionError,
  type Compilable,
  type CompiledQuery,
  type DatabaseConnection,
  type Kysely,
  type QueryResult,
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
  /** Whether a statement was sent with a check (see settleChecks). */
  private checked = false;

  private constructor(private readonly connection: DatabaseConnection) {}

  /** The pipeline of `trx`'s session. */
  static async of(trx: Transaction<any>): Promise<StatementPipeline> {
    return new StatementPipeline(await trx.getExecutor().provideConnection(async (connection) => connection));
  }

  /**
   * Sends the statement now. Its answer is looked at only for a failure, unless `check` is given:
   * then `check` is given the answer, and refuses it by throwing, which fails the transaction
   * before it commits (settleChecks).
   */
  send<R>(statement: Compilable<R> | CompiledQuery<R>, check?: (answer: QueryResult<R>) => void): void {
    const compiled = 'compile' in statement ? statement.compile() : statement;
    if (check) this.checked = true;
    // Answers come in the order the statements were sent, so the first failure is the first set.
    this.answers.push(
      this.connection
        .executeQuery<R>(compiled)
        .then((answer) => check?.(answer))
        .catch((error: unknown) => {
          this.failure ??= { error };
        }),
    );
  }

  /**
   * Before the transaction commits: once a statement was sent with a check, waits for every
   * answer so far and throws the first failure (a commit sent behind an unchecked answer would
   * keep what the check refuses). Without checks, returns at once: the commit follows the writes.
   */
  async settleChecks(): Promise<void> {
    if (this.checked) await this.settle();
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

/**
 * Runs `work` in a transaction of `db`, with its session's pipeline: what it sends without waiting
 * goes out with the statements after it, the last of it with the commit (unless a statement was
 * sent with a check: then the commit waits for the answers, see settleChecks). Its result once
 * committed; else the failure to report (causeOf), a sent statement's own rather than the
 * refusals or the rolled-back commit behind it.
 */
export async function inPipelinedTransaction<T>(
  db: Kysely<any>,
  work: (trx: Transaction<any>, pipeline: StatementPipeline) => Promise<T>,
): Promise<T> {
  let pipeline: StatementPipeline | undefined;
  try {
    const result = await db.transaction().execute(async (trx) => {
      const sent = (pipeline = await StatementPipeline.of(trx));
      const done = await work(trx, sent);
      await sent.settleChecks();
      return done;
    });
    // Answered before the commit was: a failure among them made it a rollback, which threw above.
    await pipeline!.settle();
    return result;
  } catch (thrown) {
    throw pipeline ? await pipeline.causeOf(thrown) : thrown;
  }
}
