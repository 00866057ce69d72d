import { useEffect, useState } from 'react';

/**
 * Pages are addressed by the URL's fragment (#/licenses, #/licenses/<ARN>): the gateway serves one
 * index.html at /console/, and nothing in a fragment ever reaches a server or carries a credential.
 */
export type Route =
  | { page: 'dashboard' }
  | { page: 'licenses' }
  | { page: 'create-license' }
  | { page: 'license'; arn: string }
  | { page: 'edit-license'; arn: string }
  | { page: 'inventory' }
  | { page: 'settings' }
  | { page: 'reports' }
  | { page: 'user-subscriptions' }
  | { page: 'linux-subscriptions' }
  | { page: 'conversions' }
  | { page: 'asset-groups' }
  | { page: 'granted-licenses' }
  | { page: 'granted-license'; arn: string }
  | { page: 'issued-licenses' }
  | { page: 'create-issued-license' }
  | { page: 'issued-license'; arn: string }
  | { page: 'not-found'; path: string };

/** Pages addressed by their name alone: #/inventory, #/settings, ... */
const SIMPLE_PAGES = [
  'inventory',
  'settings',
  'reports',
  'user-subscriptions',
  'linux-subscriptions',
  'conversions',
  'asset-groups',
] as const;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/') return { page: 'dashboard' };
  if (path === '/licenses') return { page: 'licenses' };
  if (path === '/licenses/new') return { page: 'create-license' };
  const edit = /^\/licenses\/([^/]+)\/edit$/.exec(path);
  if (edit) return { page: 'edit-license', arn: decodeURIComponent(edit[1]) };
  const simple = SIMPLE_PAGES.find((page) => path === `/${page}`);
  if (simple) return { page: simple };
  if (path === '/granted-licenses') return { page: 'granted-licenses' };
  if (path === '/issued-licenses') return { page: 'issued-licenses' };
  if (path === '/issued-licenses/new') return { page: 'create-issued-license' };
  const overview = /^\/(granted|issued)-licenses\/(.+)$/.exec(path);
  if (overview) return { page: `${overview[1] as 'granted' | 'issued'}-license`, arn: decodeURIComponent(overview[2]) };
  const license = /^\/licenses\/(.+)$/.exec(path);
  if (license) return { page: 'license', arn: decodeURIComponent(license[1]) };
  return { page: 'not-found', path };
}

export const hrefOf = {
  dashboard: () => '#/',
  licenses: () => '#/licenses',
  createLicense: () => '#/licenses/new',
  license: (arn: string) => `#/licenses/${encodeURIComponent(arn)}`,
  editLicense: (arn: string) => `#/licenses/${encodeURIComponent(arn)}/edit`,
  page: (name: (typeof SIMPLE_PAGES)[number]) => `#/${name}`,
  grantedLicenses: () => '#/granted-licenses',
  grantedLicense: (arn: string) => `#/granted-licenses/${encodeURIComponent(arn)}`,
  issuedLicenses: () => '#/issued-licenses',
  createIssuedLicense: () => '#/issued-licenses/new',
  issuedLicense: (arn: string) => `#/issued-licenses/${encodeURIComponent(arn)}`,
};

export function navigate(href: string): void {
  window.location.hash = href;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
