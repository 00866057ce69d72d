import type { Socket } from 'node:net';
import { Events, type NatsConnection } from 'nats';

/** What nats.js keeps of a connection's current socket (not part of its API). */
interface ConnectionInternals {
  protocol?: { transport?: { socket?: Socket } };
}

/** Sockets whose writes are held already: a connection is hooked again after each reconnect. */
const coalesced = new WeakSet<Socket>();

/**
 * Holds what a socket is given to write until the event loop's check phase, then writes it in one
 * system call. Messages sent from separate I/O callbacks of one turn (a gateway's requests from
 * separate HTTP connections, a service's replies to separate database answers) went out a write
 * each: nats.js flushes after each callback's microtasks. On a small virtual machine a write that
 * wakes its reader costs tens of microseconds, the largest single cost of every process
 * (docs/performance.md); held to the turn's end, nothing waits longer than the callbacks of the
 * same turn take.
 */
export function coalesceWritesPerTurn(socket: Socket): void {
  if (coalesced.has(socket)) return;
  coalesced.add(socket);
  let held = false;
  const release = () => {
    held = false;
    socket.uncork();
  };
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => {
    if (!held) {
      held = true;
      socket.cork();
      setImmediate(release);
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
