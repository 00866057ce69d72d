import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A filesystem of a test's own (tmpfs) of a size the test sets while it is in use, so that a disk
 * fills up for real and is then given room again, as an operator grows a volume, without anything
 * on it being stopped.
 */
export interface SmallFilesystem {
  /** Where it is mounted. */
  path: string;
  /** Bytes in use. */
  used(): number;
  /** Sets its size (`mount -o remount,size=`): at least what is in use, rounded up to pages. */
  resize(bytes: number): void;
  /** Unmounts it and removes its mount point. */
  dispose(): void;
}

/**
 * Mounts a tmpfs of `bytes` on a new directory. Mounting takes CAP_SYS_ADMIN (root, outside a
 * container that drops it): without it this throws saying so, rather than testing something else.
 */
export function mountSmallFilesystem(bytes: number): SmallFilesystem {
  const path = mkdtempSync(join(tmpdir(), 'lm-chaos-small-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', path], { stdio: 'pipe' });
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    const said = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
    throw new Error(
      `cannot mount a tmpfs for the disk-full test: it needs the CAP_SYS_ADMIN privilege (run as root, ` +
        `in a container with --cap-add SYS_ADMIN or --privileged); mount said: ${said}`,
      { cause: error },
    );
  }
  return {
    path,
    used() {
      const stats = statfsSync(path);
      return (stats.blocks - stats.bfree) * stats.bsize;
    },
    resize(size) {
      execFileSync('mount', ['-o', `remount,size=${size}`, path], { stdio: 'pipe' });
    },
    dispose() {
      execFileSync('umount', ['--lazy', path], { stdio: 'pipe' });
      rmSync(path, { recursive: true, force: true });
    },
  };
}
