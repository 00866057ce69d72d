import { useState } from 'react';

/**
 * API pagination: the NextToken of each page read so far, so that "Previous" goes back to the
 * token that read the page before. `token` is what the current page is read with.
 */
export function usePager() {
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  return {
    token: tokens[tokens.length - 1],
    page: tokens.length,
    next: (nextToken: string) => setTokens((t) => [...t, nextToken]),
    previous: () => setTokens((t) => (t.length > 1 ? t.slice(0, -1) : t)),
    reset: () => setTokens([undefined]),
  };
}

export function Pager({
  pager,
  nextToken,
  label,
}: {
  pager: ReturnType<typeof usePager>;
  nextToken: string | undefined;
  label: string;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" onClick={pager.previous} disabled={pager.page === 1}>
        Previous page
      </button>
      <span>Page {pager.page}</span>
      <button type="button" onClick={() => nextToken && pager.next(nextToken)} disabled={!nextToken}>
        Next page
      </button>
    </nav>
  );
}
