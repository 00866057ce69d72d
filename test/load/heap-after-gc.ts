/**
 * A process's V8 heap in use after a full garbage collection, read through its inspector (the
 * process is started with `--inspect=127.0.0.1:0`; Node 20's WebSocket needs
 * `--experimental-websocket` in the process that asks). Unlike RSS, it counts only what is still
 * retained: neither garbage not yet collected nor memory V8 or malloc keeps after freeing it.
 */
export const inspectorNodeArgs = ['--inspect=127.0.0.1:0'];

/** What Node prints on stderr once the inspector listens. */
const INSPECTOR_URL = /Debugger listening on (ws:\/\/\S+)/;

/** The inspector's address in a process's output (its first line, so read it before other logs push it out). */
export function inspectorUrlOf(output: string): string {
  const match = INSPECTOR_URL.exec(output);
  if (!match) throw new Error('the process did not print its inspector address');
  return match[1];
}

export async function heapUsedAfterGc(inspectorUrl: string): Promise<number> {
  const socket = new WebSocket(inspectorUrl);
  const replies = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', ({ data }) => {
    const { id, result } = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (id !== undefined) replies.get(id)?.(result);
  });
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let next = 0;
  const call = (method: string) =>
    new Promise<unknown>((resolve) => {
      const id = ++next;
      replies.set(id, resolve);
      socket.send(JSON.stringify({ id, method }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    const { usedSize } = (await call('Runtime.getHeapUsage')) as { usedSize: number };
    return usedSize;
  } finally {
    socket.close();
  }
}
