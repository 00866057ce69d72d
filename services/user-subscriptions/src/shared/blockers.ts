/** Why `subject` cannot change yet, each reason a sentence ("2 users are still subscribed"); none when nothing holds it. */
export type Blocker<T> = (subject: T) => Promise<string[]>;

/**
 * The checks other slices add to a rule they own a part of: each adds its check once, when its
 * module starts (`blockers.add(check)` in onModuleInit), and the operation is refused with every
 * reason they give.
 */
export class Blockers<T> {
  private readonly checks: Blocker<T>[] = [];

  add(check: Blocker<T>): void {
    this.checks.push(check);
  }

  async of(subject: T): Promise<string[]> {
    return (await Promise.all(this.checks.map((check) => check(subject)))).flat();
  }
}
