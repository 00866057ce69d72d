import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/protocol';
import { writeResponse } from '../../src/http/write-response';

describe('an answer as the gateway writes it', () => {
  const answers: Record<string, HttpResponse> = {
    '/text': {
      status: 403,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r1' },
      body: '{"é":1}',
    },
    '/bytes': { status: 200, headers: { 'content-type': 'application/cbor' }, body: Buffer.from([0xa0]) },
    '/charset': { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8; version=0.0.4' }, body: 'm 1\n' },
  };
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => writeResponse(res, answers[req.url!]));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('declares a text body UTF-8 and counts its bytes, not its characters', async () => {
    const response = await fetch(`${url}/text`);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1; charset=utf-8');
    expect(response.headers.get('content-length')).toBe('8');
    expect(response.headers.get('x-amzn-requestid')).toBe('r1');
    expect(await response.text()).toBe('{"é":1}');
  });

  it('leaves the type of a binary body and a charset already named as they are', async () => {
    const bytes = await fetch(`${url}/bytes`);
    expect(bytes.headers.get('content-type')).toBe('application/cbor');
    expect(Buffer.from(await bytes.arrayBuffer())).toEqual(Buffer.from([0xa0]));
    expect((await fetch(`${url}/charset`)).headers.get('content-type')).toBe(
      'text/plain; charset=utf-8; version=0.0.4',
    );
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await fetch(`${url}/text`, { method: 'HEAD' });
    expect(response.headers.get('content-length')).toBe('8');
    expect(await response.text()).toBe('');
  });
});
