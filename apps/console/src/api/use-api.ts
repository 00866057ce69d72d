import { useEffect, useRef, useState } from 'react';

export type Loaded<T> = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'loaded'; data: T };

/**
 * Runs an API read when the page shows and whenever `key` (what the read depends on) changes, and again
 * on reload(). An answer that arrives after a newer request started is dropped, so a page never shows an
 * older answer last.
 */
export function useApi<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const latestLoad = useRef(load);
  latestLoad.current = load;
  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
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
