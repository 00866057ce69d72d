import type { ReactNode } from 'react';
import { ApiError } from '../api/api-error';
import type { Loaded } from '../api/use-api';
import { ErrorMessage } from './error-message';

/**
 * What a read shows while it loads, when it fails, and when its service is not part of this
 * deployment (the gateway's 501): a note, not an error.
 */
export function LoadedView<T>({
  state,
  what,
  children,
}: {
  state: Loaded<T>;
  /** What is loading, in words: "license configurations". */
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (state.status === 'loading') {
    return (
      <p className="loading" role="status">
        Loading {what}…
      </p>
    );
  }
  if (state.status === 'failed') {
    if (state.error instanceof ApiError && state.error.notInDeployment) {
      return (
        <p className="note" role="status">
          {capitalized(what)}: not part of this deployment.
        </p>
      );
    }
    return <ErrorMessage error={state.error} />;
  }
  return <>{children(state.data)}</>;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
