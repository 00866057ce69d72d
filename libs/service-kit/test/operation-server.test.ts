import { ServerNats, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { isPastCurrentDeadline } from '../src/late-request';
import { OperationServer, type AnsweredRequest } from '../src/operation-server';

describe('OperationServer', () => {
  const subject = 'lm.test-1.licensing.GetLicenseConfiguration';

  /** A server with one handler on `subject`, and what its observer was told. */
  const serving = (handler: (data: unknown) => Promise<unknown>) => {
    const server = new OperationServer({ servers: [] });
    const answered: AnsweredRequest[] = [];
    server.observe((answer) => answered.push(answer));
    let calls = 0;
    server.addHandler(
      subject,
      Object.assign(
        async (data: unknown) => {
          calls++;
          return handler(data);
        },
        { isEventHandler: false },
      ),
    );
    const ask = async (data: unknown) => {
      const served = server.getHandlerByPattern(subject) as MessageHandler;
      const answer = await served(data, undefined);
      // Subscribed to the end, as Nest's server does.
      return lastValueFrom(isObservable(answer) ? (answer as Observable<unknown>) : Promise.resolve(answer));
    };
    return { server, answered, ask, calls: () => calls };
  };

  it("finds an operation's handler by its subject, as Nest's own NATS server does", async () => {
    const { server, ask } = serving(async (data) => ({ echoed: data }));
    await expect(ask({ requestId: 'r-1' })).resolves.toEqual({ echoed: { requestId: 'r-1' } });
    expect(server.getHandlerByPattern('lm.test-1.licensing.Other')).toBeNull();
  });

  it('runs the handler with the deadline the request carries', async () => {
    const { ask } = serving(async () => isPastCurrentDeadline());
    await expect(ask({ deadline: Date.now() + 60_000 })).resolves.toBe(false);
  });

  it('refuses a request past its deadline without running its handler, as ServiceUnavailableException', async () => {
    const { ask, answered, calls } = serving(async () => 'carried out');
    await expect(ask({ requestId: 'r-late', deadline: Date.now() - 1 })).rejects.toMatchObject({
      name: 'ServiceUnavailableException',
    });
    expect(calls()).toBe(0);
    expect(answered).toMatchObject([
      { subject, operation: 'GetLicenseConfiguration', requestId: 'r-late', error: 'ServiceUnavailableException' },
    ]);
  });

  it('tells its observer of each answer, with the error name of a failed one', async () => {
    let fail = false;
    const { ask, answered } = serving(async () => {
      if (fail) throw Object.assign(new Error('refused'), { name: 'ValidationException' });
      return 'ok';
    });
    await ask({ requestId: 'r-ok' });
    fail = true;
    // Nest's router turns a thrown error into an error observable; here the handler's rejection is that.
    await expect(ask({ requestId: 'r-failed' })).rejects.toThrow('refused');
    expect(answered.map(({ requestId, error }) => ({ requestId, error }))).toEqual([
      { requestId: 'r-ok', error: undefined },
      { requestId: 'r-failed', error: 'ValidationException' },
    ]);
  });

  it('routes a subject without parsing it, and a JSON pattern as Nest does', () => {
    const ours = new OperationServer({ servers: [] });
    const nest = new ServerNats({ servers: [] });
    expect(ours.getRouteFromPattern(subject)).toBe(subject);
    for (const pattern of [subject, '{"cmd":"sum","role":"math"}', '"quoted"'])
      expect(ours.getRouteFromPattern(pattern)).toBe(nest.getRouteFromPattern(pattern));
  });
});
