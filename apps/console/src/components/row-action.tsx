import { useState } from 'react';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorMessage } from './error-message';

/**
 * A table row's action: one API call, after a modal confirmation when it cannot be undone (`confirm`),
 * its refusal shown in the row. `target` names the row for screen readers ("Delete: Contoso seats").
 */
export function RowAction({
  label,
  target,
  run,
  onDone,
  confirm,
}: {
  label: string;
  target: string;
  run(): Promise<unknown>;
  onDone(): void;
  /** The question asked first, for what cannot be undone. */
  confirm?: string;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const act = async () => {
    setAsking(false);
    setBusy(true);
    setError(undefined);
    try {
      await run();
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className={confirm ? 'danger' : undefined}
        disabled={busy}
        aria-label={`${label}: ${target}`}
        onClick={() => (confirm ? setAsking(true) : void act())}
      >
        {label}
      </button>
      {asking && (
        <ConfirmDialog
          title={`${label} ${target}?`}
          confirmLabel={label}
          onConfirm={() => void act()}
          onCancel={() => setAsking(false)}
        >
          <p>{confirm}</p>
        </ConfirmDialog>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
    </>
  );
}
