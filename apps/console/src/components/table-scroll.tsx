import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways on a narrow window (ARNs are long) rather than widening the page;
 * focusable, so that it scrolls with the keyboard too.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
