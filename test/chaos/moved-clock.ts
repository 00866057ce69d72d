import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's libfaketime (package faketime), under the machine's multiarch directory, which a system's processes load. */
function libfaketime(): string | undefined {
  return readdirSync('/usr/lib')
    .map((triplet) => join('/usr/lib', triplet, 'faketime/libfaketime.so.1'))
    .find((path) => existsSync(path));
}

/**
 * The wall clock of a system's processes and of its PostgreSQL server (startPrivatePostgres takes
 * `env` too), which a test moves while they run: each process loads
 * libfaketime (LD_PRELOAD), which adds the offset of a file to every reading of the real-time clock,
 * reading the file again at each reading (FAKETIME_NO_CACHE), so that a process sees a jump at once.
 * The monotonic clock is left alone, as when NTP or an operator steps a host's clock: Node's timers,
 * and with them every schedule's interval, run on it.
 */
export interface MovedClock {
  /** The environment that makes a process read this clock (for startSystem). */
  env: Record<string, string>;
  /** The offset from the real time now, in milliseconds. */
  offsetMs(): number;
  /** Moves the processes' clock to the real time plus `offsetMs`, at once. */
  jumpTo(offsetMs: number): void;
  /**
   * Makes an AWS SDK client sign with this clock, as a client on the host whose clock jumped does.
   * Its systemClockOffset is the clock's offset from then on: the SDK's own correction from a
   * response's Date header is ignored (Node caches that header for up to a second, so an answer
   * just after a jump would set the client back to the time before it).
   */
  follow<C extends { config: { systemClockOffset?: number } }>(client: C): C;
  dispose(): void;
}

export function movedClock(): MovedClock {
  const library = libfaketime();
  if (!library)
    throw new Error(
      'no /usr/lib/*/faketime/libfaketime.so.1: the clock-jump test needs libfaketime (apt-get install faketime)',
    );
  const directory = mkdtempSync(join(tmpdir(), 'lm-chaos-clock-'));
  // Readable by every user: a PostgreSQL run as its own user reads it too.
  chmodSync(directory, 0o755);
  const file = join(directory, 'offset');
  let offset = 0;
  // libfaketime's relative form: seconds ahead (+) or behind (-) the real time.
  const write = () => writeFileSync(file, `${offset < 0 ? '-' : '+'}${Math.abs(offset) / 1000}\n`, { mode: 0o644 });
  write();
  return {
    env: {
      LD_PRELOAD: library,
      FAKETIME_TIMESTAMP_FILE: file,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    },
    offsetMs: () => offset,
    jumpTo(offsetMs) {
      offset = offsetMs;
      write();
    },
    follow(client) {
      Object.defineProperty(client.config, 'systemClockOffset', {
        get: () => offset,
        set: () => undefined,
        configurable: true,
      });
      return client;
    },
    dispose() {
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
