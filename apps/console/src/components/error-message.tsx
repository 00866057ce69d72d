import { describeError } from '../api/api-error';

/** An API error as a sentence, announced to screen readers, beside what caused it. */
export function ErrorMessage({ error, id }: { error: unknown; id?: string }) {
  return (
    <p className="error" role="alert" id={id}>
      {describeError(error)}
    </p>
  );
}
