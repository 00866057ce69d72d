/** Copies a child's output to `out` line by line, each line prefixed with `[name]`, so that interleaved logs stay readable. */
export function prefixLines(name, stream, out) {
  let pending = '';
  stream.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
  stream.on('end', () => pending && out.write(`[${name}] ${pending}\n`));
}
