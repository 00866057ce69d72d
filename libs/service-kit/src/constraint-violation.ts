/** PostgreSQL's unique or exclusion violation of a view's constraint: how a racing duplicate shows. */
export function isConstraintViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return (pgError.code === '23505' || pgError.code === '23P01') && pgError.constraint === constraint;
}
