import { useEffect, useRef, useState } from 'react';

export type Loaded<T> = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'loaded'; data: T };

/**
 * Runs an API read when the page shows and whenever `key` (what the read depends on) changes, and again
 * on reload(). A reload keeps what is shown until the new answer arrives (a form on the page keeps what
 * was typed in it); a new key shows the loading state. An answer that arrives after a newer request
 * started is dropped, so a page never shows an older answer last.
 */
export function useApi<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latestLoad = useRef(load);
  latestLoad.current = load;
  const loadedKey = useRef<string | undefined>(undefined);
  useEffect(() => {
    let current = true;
    if (loadedKey.current !== key) setState({ status: 'loading' });
    loadedKey.current = key;
    latestLoad.current().then(
      (data) => current && setState({ status: 'loaded', data }),
      (error: unknown) => current && setState({ status: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  return [state, () => setGeneration((g) => g + 1)];
}
