import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleFiles } from '../../src/http/console-files';
import { gatewayRequestListener } from '../../src/http/routes';

/** The gateway's routes with the console's files, and stand-ins for the other routes that name what they were asked. */
async function serve(directory: string): Promise<{ url: string; server: Server }> {
  const standIn = (res: ServerResponse, text: string) => Promise.resolve(void res.writeHead(400).end(text));
  const server = createServer(
    gatewayRequestListener({
      console: consoleFiles({ directory, region: 'eu-west-3' }),
      health: (res) => standIn(res, 'health'),
      metrics: (res) => standIn(res, 'metrics'),
      awsApi: (req, res) => standIn(res, `aws ${req.method} ${req.url}`),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function statusOf(url: string, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) =>
    request({ host: '127.0.0.1', port: new URL(url).port, path }, (response) => {
      response.resume();
      resolve(response.statusCode);
    })
      .on('error', reject)
      .end(),
  );
}

describe('the console files', () => {
  let built: { url: string; server: Server };
  let unbuilt: { url: string; server: Server };

  beforeAll(async () => {
    const directory = mkdtempSync(join(tmpdir(), 'console-'));
    mkdirSync(join(directory, 'assets'));
    writeFileSync(join(directory, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(directory, 'assets/index-abc123.js'), 'console.log(1)');
    built = await serve(directory);
    unbuilt = await serve(mkdtempSync(join(tmpdir(), 'console-empty-')));
  });
  afterAll(() => {
    built.server.close();
    unbuilt.server.close();
  });

  it('serves index.html at /console/, revalidated every time, with a policy that allows only this origin', async () => {
    const response = await fetch(`${built.url}/console/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>console</title>');
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('lets a browser keep hashed assets for good', async () => {
    const response = await fetch(`${built.url}/console/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toMatch(/javascript/);
  });

  it('redirects /console to /console/, where relative paths resolve', async () => {
    const response = await fetch(`${built.url}/console`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/console/');
    const directory = await fetch(`${built.url}/console/assets`, { redirect: 'manual' });
    expect(directory.status).toBe(301);
    expect(directory.headers.get('location')).toBe('/console/assets/');
  });

  it('tells the console the Region its signatures are scoped to', async () => {
    const response = await fetch(`${built.url}/console/deployment.json`);
    expect(await response.json()).toEqual({ region: 'eu-west-3' });
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404 for a file it does not have, and says to build when nothing is built', async () => {
    expect((await fetch(`${built.url}/console/assets/missing.js`)).status).toBe(404);
    // Sent as written (fetch would resolve the dots itself): no file outside the console's directory.
    expect(await statusOf(built.url, '/console/%2e%2e/%2e%2e/package.json')).toBe(404);
    const response = await fetch(`${unbuilt.url}/console/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('npm run build');
  });

  it('leaves other methods and every other path to the AWS API', async () => {
    expect(await (await fetch(`${built.url}/console/`, { method: 'POST' })).text()).toBe('aws POST /console/');
    expect(await (await fetch(`${built.url}/`, { method: 'POST' })).text()).toBe('aws POST /');
    expect(await (await fetch(`${built.url}/consoles`)).text()).toBe('aws GET /consoles');
  });

  it('serves HEAD with the headers of GET and no body', async () => {
    const response = await fetch(`${built.url}/console/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String('<!doctype html><title>console</title>'.length));
    expect(await response.text()).toBe('');
  });
});
