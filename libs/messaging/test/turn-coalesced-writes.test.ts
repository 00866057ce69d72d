import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWritesPerTurn } from '../src/turn-coalesced-writes';

/** A local server that keeps what it receives, and a socket connected to it. */
async function connectedPair(): Promise<{ server: Server; socket: Socket; received: () => string }> {
  let text = '';
  const server = createServer((peer) => peer.on('data', (chunk) => (text += chunk.toString())));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return { server, socket, received: () => text };
}

/** Counts the writes a socket hands to the system (one _write or _writev each). */
function countSystemWrites(socket: Socket): { count: number } {
  const counted = { count: 0 };
  const internals = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
  for (const method of ['_write', '_writev'] as const) {
    const original = internals[method].bind(socket);
    internals[method] = (...args: unknown[]) => {
      counted.count += 1;
      return original(...args);
    };
  }
  return counted;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesceWritesPerTurn', () => {
  const open: { server: Server; socket: Socket }[] = [];
  afterEach(async () => {
    for (const { server, socket } of open.splice(0)) {
      socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('writes the first message of a turn at once, and the rest of the turn in one system call at its end', async () => {
    const pair = await connectedPair();
    open.push(pair);
    coalesceWritesPerTurn(pair.socket);
    const writes = countSystemWrites(pair.socket);
    pair.socket.write('a');
    expect(writes.count).toBe(1);
    // As separate I/O callbacks of the same turn would: each after the microtasks of the one before.
    await Promise.resolve();
    pair.socket.write('b');
    await Promise.resolve();
    pair.socket.write('c');
    await new Promise((resolve) => process.nextTick(resolve));
    pair.socket.write('d');
    expect(writes.count).toBe(1);
    await nextTurn();
    expect(writes.count).toBe(2);
    // The next turn starts again: its first at once, its others held.
    pair.socket.write('e');
    pair.socket.write('f');
    expect(writes.count).toBe(3);
    await nextTurn();
    expect(writes.count).toBe(4);
    await expect.poll(pair.received).toBe('abcdef');
  });

  it('leaves the socket uncorked once the turn ends, however often it was hooked', async () => {
    const pair = await connectedPair();
    open.push(pair);
    coalesceWritesPerTurn(pair.socket);
    coalesceWritesPerTurn(pair.socket);
    pair.socket.write('x');
    pair.socket.write('y');
    await nextTurn();
    // A cork left behind would hold every later write for ever.
    expect(pair.socket.writableCorked).toBe(0);
    await expect.poll(pair.received).toBe('xy');
  });
});
