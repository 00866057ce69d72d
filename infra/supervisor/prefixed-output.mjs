/**
 * Copies a child's output to `out` line by line, so that interleaved logs stay readable: a JSON
 * line (a log record, which names its service) as it is, so that the output stays JSON lines;
 * any other line prefixed with `[name]`.
 */
export function prefixLines(name, stream, out) {
  let pending = '';
  const write = (line) => out.write(isJsonRecord(line) ? `${line}\n` : `[${name}] ${line}\n`);
  stream.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) write(line);
  });
  stream.on('end', () => pending && write(pending));
}

function isJsonRecord(line) {
  if (!line.startsWith('{')) return false;
  try {
    const value = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
