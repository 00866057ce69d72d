import { appendFileSync } from 'node:fs';

/** How many of a server's last output lines an error message quotes. */
const TAIL_LINES = 8;

/**
 * A local server's output: appended to a file in the data directory (where an operator looks when
 * something is wrong), and its last lines kept, to say in one message why the server did not start.
 */
export class ServerLog {
  #tail = [];

  /** @param {string} file */
  constructor(file) {
    this.file = file;
  }

  /** @param {string | Buffer | Error | unknown} chunk */
  write(chunk) {
    const text = chunk instanceof Error ? `${chunk.message}\n` : String(chunk);
    appendFileSync(this.file, text);
    const lines = text.split('\n').filter((line) => line.trim());
    this.#tail = [...this.#tail, ...lines].slice(-TAIL_LINES);
  }

  /** The last lines, on one line: what a start-up error quotes. */
  tail() {
    return this.#tail.map((line) => line.trim()).join(' | ') || '(no output)';
  }
}
