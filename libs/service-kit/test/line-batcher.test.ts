import { describe, expect, it } from 'vitest';
import { lineBatcher } from '../src/logging/line-batcher';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the log lines of one turn of the event loop', () => {
  const captured = () => {
    const writes: string[] = [];
    let atExit: (() => void) | undefined;
    const batcher = lineBatcher({ write: (text: string) => writes.push(text) }, (flush) => (atExit = flush));
    return { writes, batcher, exit: () => atExit!() };
  };

  it('are written together, in order, once the turn ends', async () => {
    const { writes, batcher } = captured();
    batcher.write('a\n');
    batcher.write('b\n');
    batcher.write('c\n');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n']);
    batcher.write('d\n');
    await nextTurn();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('are written when the process exits before the turn ends', () => {
    const { writes, batcher, exit } = captured();
    batcher.write('fatal: the last words\n');
    exit();
    expect(writes).toEqual(['fatal: the last words\n']);
  });

  it('leave nothing to write when none was logged', async () => {
    const { writes, exit } = captured();
    exit();
    await nextTurn();
    expect(writes).toEqual([]);
  });
});
