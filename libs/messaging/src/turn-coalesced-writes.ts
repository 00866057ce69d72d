import type { Socket } from 'node:net';
import { Events, type NatsConnection } from 'nats';

/** What nats.js keeps of a connection's current socket (not part of its API). */
interface ConnectionInternals {
  protocol?: { transport?: { socket?: Socket } };
}

/** Sockets whose writes are held already: a connection is hooked again after each reconnect. */
const coalesced = new WeakSet<Socket>();

/**
 * Writes the first message a socket is given in a turn of the event loop at once, and holds the
 * others of that turn until its check phase, then writes them in one system call. Messages sent
 * from separate I/O callbacks of one turn (a gateway's requests from separate HTTP connections, a
 * service's replies to separate database answers) went out a write each: nats.js flushes after
 * each callback's microtasks. On a small virtual machine a write that wakes its reader costs tens
 * of microseconds, the largest single cost of every process (docs/performance.md). The first goes
 * at once so that a lone message (one client, a quiet system) never waits behind the rest of its
 * turn's work; under load a turn's messages cost two writes however many there are.
 */
export function coalesceWritesPerTurn(socket: Socket): void {
  if (coalesced.has(socket)) return;
  coalesced.add(socket);
  /** What this turn has written: nothing yet, its first message, or that and a corked rest. */
  let turn: 'quiet' | 'wrote' | 'holding' = 'quiet';
  const release = () => {
    if (turn === 'holding') socket.uncork();
    turn = 'quiet';
  };
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => {
    if (turn === 'quiet') {
      turn = 'wrote';
      setImmediate(release);
    } else if (turn === 'wrote') {
      turn = 'holding';
      socket.cork();
    }
    return write(...args);
  }) as Socket['write'];
}

/**
 * coalesceWritesPerTurn for a NATS connection's socket, now and after every reconnect (which opens
 * a new one). A connection whose internals are not where nats.js 2 keeps them is left as it is.
 */
export function coalesceNatsWrites(nc: NatsConnection): NatsConnection {
  const hook = () => {
    const socket = (nc as unknown as ConnectionInternals).protocol?.transport?.socket;
    if (socket) coalesceWritesPerTurn(socket);
  };
  hook();
  void (async () => {
    for await (const status of nc.status()) if (status.type === Events.Reconnect) hook();
  })();
  return nc;
}
