import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorMessage } from './error-message';

/**
 * A form that makes one API call: its fields under a legend, its submit button, and the API's refusal
 * beside them (the fields' group described by it). `submit` reads the fields (FormData) and calls the API; once it has answered, the form
 * is cleared and `onDone` runs.
 */
export function ActionForm({
  legend,
  submitLabel,
  submit,
  onDone,
  children,
}: {
  legend: string;
  submitLabel: string;
  submit(form: FormData): Promise<unknown>;
  onDone?(): void;
  children: ReactNode;
}) {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(undefined);
    try {
      await submit(new FormData(form));
      form.reset();
      onDone?.();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={onSubmit}>
      <fieldset aria-describedby={error !== undefined ? errorId : undefined}>
        <legend>{legend}</legend>
        {children}
      </fieldset>
      {error !== undefined && <ErrorMessage error={error} id={errorId} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

/** A form field's text, trimmed. */
export const textOf = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/** A form field's comma- or space-separated list, without empty items. */
export const listOf = (form: FormData, name: string) =>
  textOf(form, name)
    .split(/[\s,]+/)
    .filter(Boolean);
