/**
 * Lines logged in one turn of the event loop, written to `out` together at the end of the turn,
 * and at once when the process exits. Standard output is synchronous on Linux (a pipe, a file, a
 * terminal), so every line was a write system call of its own: under load the gateway's request
 * lines (one per request) cost it a few per cent of its CPU, and whoever reads the pipe as much
 * again. Batched per turn, a line still goes out within the turn it was logged in, and a line
 * logged just before process.exit (a fatal error) still goes out before the process ends.
 */
export function lineBatcher(
  out: { write(text: string): unknown },
  onExit: (flush: () => void) => void = (flush) => process.on('exit', flush),
): { write(line: string): void; flush(): void } {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    out.write(text);
  };
  onExit(flush);
  return {
    write(line) {
      if (pending.length === 0) setImmediate(flush);
      pending.push(line);
    },
    flush,
  };
}
