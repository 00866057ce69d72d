/**
 * How the gateway's few fixed routes (`/health`, `/metrics`, `/console`) match a request path:
 * as the web framework it was first served by matched them, case-insensitively and with or
 * without a trailing slash, so that no path changes hands. The path is matched as sent
 * (percent-escapes not decoded): every other path is an AWS API request, which the protocol
 * layer matches itself.
 */

/** The path of a request target, without its query string. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Whether `path` names `route` (`/health`, `/HEALTH`, `/health/`). */
export function isRoute(path: string, route: string): boolean {
  const length = path.endsWith('/') && path.length > 1 ? path.length - 1 : path.length;
  return length === route.length && path.slice(0, length).toLowerCase() === route;
}

/**
 * The rest of `path` under the prefix `mount` (`/` for the prefix itself), as a handler mounted
 * there sees it; undefined when the path is not under it (`/consoles` is not under `/console`).
 */
export function pathUnder(path: string, mount: string): string | undefined {
  if (path.slice(0, mount.length).toLowerCase() !== mount) return undefined;
  const rest = path.slice(mount.length);
  if (rest === '') return '/';
  return rest.startsWith('/') ? rest : undefined;
}
