import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import express, { Router, type Response } from 'express';
import { GATEWAY_DIRECTORY } from '../package-directory';

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

/**
 * The web console's static files at /console (GET and HEAD; any other method goes on to the AWS
 * API), and /console/deployment.json, which tells the console the Region its signatures must be
 * scoped to. The console signs its API calls itself: nothing here knows a credential.
 */
export function consoleFiles(options: { directory: string; region: string }): Router {
  const router = Router();
  const built = existsSync(join(options.directory, 'index.html'));
  const assets = join(options.directory, 'assets') + sep;
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next('router');
    res.set(SECURITY_HEADERS);
    // Relative asset and API paths need the trailing slash.
    if (req.originalUrl.split('?')[0] === '/console') return res.redirect(301, '/console/');
    next();
  });
  router.get('/deployment.json', (_req, res) => {
    res.set('cache-control', REVALIDATE).json({ region: options.region });
  });
  if (built) {
    router.use(
      express.static(options.directory, {
        index: 'index.html',
        fallthrough: true,
        setHeaders: (res: Response, path: string) =>
          res.set('cache-control', path.startsWith(assets) ? IMMUTABLE : REVALIDATE),
      }),
    );
  }
  router.use((_req, res) => {
    res
      .status(404)
      .set('cache-control', REVALIDATE)
      .type('text/plain')
      .send(built ? 'Not found.\n' : 'The console is not built: run `npm run build`.\n');
  });
  return router;
}
