import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import serveStatic from 'serve-static';
import { GATEWAY_DIRECTORY } from '../package-directory';
import { isRoute, pathOf } from './route-path';
import { writeJson, writeResponse } from './write-response';

/** Where `npm run build` puts the web console (apps/console). */
export const CONSOLE_DIRECTORY = join(GATEWAY_DIRECTORY, '../../apps/console/dist');

/** Hashed file names change with their content: a browser may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed files: a browser asks again every time. */
const REVALIDATE = 'no-cache';

/**
 * The console requests nothing but this gateway (no CDN, no outside request) and is never framed;
 * its scripts and styles are its own files, and its API calls go to this origin.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** A request for the console, and the rest of its path under `/console` (`/` for `/console` itself). */
export type ConsoleRequest = (req: IncomingMessage, res: ServerResponse, rest: string) => Promise<void>;

/**
 * The web console's static files under /console (the router hands it GET and HEAD only; any
 * other method is an AWS API call), and /console/deployment.json, which tells the console the
 * Region its signatures must be scoped to. The console signs its API calls itself: nothing here
 * knows a credential. Files are read from the directory at each request: a rebuild (`npm run
 * watch -w @lm/console`) is served at once.
 */
export function consoleFiles(options: { directory: string; region: string }): ConsoleRequest {
  const built = existsSync(join(options.directory, 'index.html'));
  const assets = join(options.directory, 'assets') + sep;
  const files = built
    ? serveStatic<ServerResponse>(options.directory, {
        index: 'index.html',
        fallthrough: true,
        setHeaders: (res, path) => res.setHeader('cache-control', path.startsWith(assets) ? IMMUTABLE : REVALIDATE),
      })
    : undefined;
  const notFound = (res: ServerResponse) =>
    writeResponse(res, {
      status: 404,
      headers: { 'cache-control': REVALIDATE, 'content-type': 'text/plain' },
      body: built ? 'Not found.\n' : 'The console is not built: run `npm run build`.\n',
    });

  return async (req, res, rest) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    // Relative asset and API paths need the trailing slash.
    if (pathOf(req.url!) === '/console') return redirectToSlash(req, res);
    if (isRoute(rest, '/deployment.json'))
      return writeJson(res, 200, { region: options.region }, { 'cache-control': REVALIDATE });
    if (!files) return notFound(res);
    // Mounted as serve-static expects: the path under the mount in req.url, the request's own in originalUrl
    // (a directory's redirect adds its slash to the latter).
    Object.assign(req, { originalUrl: req.url, url: rest + req.url!.slice(pathOf(req.url!).length) });
    await new Promise<void>((resolve, reject) => {
      res.once('close', resolve);
      files(req, res, (error) => {
        // Past fallthrough (a file found that then failed to be read): the gateway's own failure.
        if (error) reject(error);
        else notFound(res);
      });
    });
  };
}

/** `/console` to `/console/`, with a short body in whichever of text and HTML the client prefers. */
function redirectToSlash(req: IncomingMessage, res: ServerResponse): void {
  const html = /\btext\/html\b/.test(req.headers.accept ?? '') && !/\btext\/plain\b/.test(req.headers.accept ?? '');
  writeResponse(res, {
    status: 301,
    headers: { Location: '/console/', Vary: 'Accept', 'content-type': html ? 'text/html' : 'text/plain' },
    body: html ? '<p>Moved Permanently. Redirecting to /console/</p>' : 'Moved Permanently. Redirecting to /console/',
  });
}
