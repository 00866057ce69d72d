import { describe, expect, it } from 'vitest';
import { isRoute, pathOf, pathUnder } from '../../src/http/route-path';

describe('the routes of the gateway', () => {
  it('match a fixed route whatever its case, with or without one trailing slash, without its query', () => {
    expect(isRoute(pathOf('/health?verbose=1'), '/health')).toBe(true);
    expect(isRoute(pathOf('/HEALTH/'), '/health')).toBe(true);
    expect(isRoute('/health//', '/health')).toBe(false);
    expect(isRoute('/healthz', '/health')).toBe(false);
    expect(isRoute('/', '/health')).toBe(false);
  });

  it('give what is under a mount as a mounted handler sees it, and nothing for a longer name', () => {
    expect(pathUnder('/console', '/console')).toBe('/');
    expect(pathUnder('/Console/assets/a.js', '/console')).toBe('/assets/a.js');
    expect(pathUnder('/consoles', '/console')).toBeUndefined();
    expect(pathUnder('/', '/console')).toBeUndefined();
  });
});
