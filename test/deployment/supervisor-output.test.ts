import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript of infra/supervisor, without type declarations
import { prefixLines } from '../../infra/supervisor/prefixed-output.mjs';
// @ts-expect-error -- plain JavaScript of infra/supervisor, without type declarations
import { childLogEnvironment, supervisorLog } from '../../infra/supervisor/supervisor-log.mjs';

/** What a writable received. */
const sink = () => {
  const out = { text: '', write: (text: string) => (out.text += text) };
  return out;
};

describe("the supervisor's output", () => {
  it("passes a process's JSON lines through as they are and prefixes every other line with its name", async () => {
    const child = new PassThrough();
    const out = sink();
    prefixLines('licensing', child, out);
    const record = '{"level":"info","service":"licensing","msg":"ready"}';

    // Split across chunks as a pipe may deliver it, the last line without its newline.
    child.write(`${record.slice(0, 20)}`);
    child.write(`${record.slice(20)}\n(node:42) Warning: something\n{not json}\n[1,2]\n`);
    child.end('TypeError: boom');
    await new Promise((resolve) => child.on('end', resolve));

    expect(out.text).toBe(
      `${record}\n[licensing] (node:42) Warning: something\n[licensing] {not json}\n[licensing] [1,2]\n[licensing] TypeError: boom\n`,
    );
  });

  it('writes its own lines as JSON records of service "supervisor" off a terminal, at LM_LOG_LEVEL', () => {
    const out = sink();
    const log = supervisorLog({ terminal: false, env: {}, out });
    log.info('ready: http://localhost:8080 (gateway, licensing)');
    log.error('licensing exited');
    const records = out.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: 'supervisor',
        pid: process.pid,
        msg: 'ready: http://localhost:8080 (gateway, licensing)',
      },
      expect.objectContaining({ level: 'error', service: 'supervisor', msg: 'licensing exited' }),
    ]);

    const quiet = sink();
    const errorsOnly = supervisorLog({ terminal: false, env: { LM_LOG_LEVEL: 'error' }, out: quiet });
    errorsOnly.info('started');
    errorsOnly.error('gave up');
    expect(
      quiet.text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).msg),
    ).toEqual(['gave up']);
  });

  it('has its processes write readable coloured lines when it writes to a terminal, unless told otherwise', () => {
    expect(childLogEnvironment({ terminal: false, env: {} })).toEqual({});
    expect(childLogEnvironment({ terminal: true, env: {} })).toEqual({ LM_LOG_FORMAT: 'pretty', FORCE_COLOR: '1' });
    expect(childLogEnvironment({ terminal: true, env: { LM_LOG_FORMAT: 'json', NO_COLOR: '1' } })).toEqual({});
  });
});
