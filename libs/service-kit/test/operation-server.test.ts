import { ServerNats } from '@nestjs/microservices';
import { describe, expect, it } from 'vitest';
import { OperationServer } from '../src/operation-server';

describe('OperationServer', () => {
  const subject = 'lm.test-1.licensing.GetLicenseConfiguration';

  it("finds an operation's handler by its subject, as Nest's own NATS server does", () => {
    const server = new OperationServer({ servers: [] });
    const handler = Object.assign(async () => ({}), { isEventHandler: false });
    server.addHandler(subject, handler);
    expect(server.getHandlerByPattern(subject)).toBe(handler);
    expect(server.getHandlerByPattern('lm.test-1.licensing.Other')).toBeNull();
  });

  it('routes a subject without parsing it, and a JSON pattern as Nest does', () => {
    const ours = new OperationServer({ servers: [] });
    const nest = new ServerNats({ servers: [] });
    expect(ours.getRouteFromPattern(subject)).toBe(subject);
    for (const pattern of [subject, '{"cmd":"sum","role":"math"}', '"quoted"'])
      expect(ours.getRouteFromPattern(pattern)).toBe(nest.getRouteFromPattern(pattern));
  });
});
