import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_SERVICES, SERVICE_NAMES } from '../src';

const SERVICES = join(__dirname, '../../../services');

describe('the services of this build', () => {
  it('are the folders of services/ with a main.ts but the gateway: what LM_SERVICES defaults to', () => {
    const folders = readdirSync(SERVICES).filter(
      (name) => name !== 'gateway' && existsSync(join(SERVICES, name, 'src/main.ts')),
    );
    expect([...BUILT_SERVICES].sort()).toEqual(folders.sort());
  });

  it('each have a name in the ownership table, once', () => {
    expect(new Set(BUILT_SERVICES).size).toBe(BUILT_SERVICES.length);
    for (const service of BUILT_SERVICES) expect(SERVICE_NAMES).toContain(service);
  });
});
