import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MasterKey, readSettings, DEVELOPMENT_MASTER_KEY, masterKeySettings } from '@lm/service-kit';
import { grantsServiceSettings } from '../src/grants.service';

const masterKeyFromEnv = (env: Record<string, string>) => masterKeySettings.masterKey.read(env);

describe('the master key', () => {
  it('uses the public development key outside production, and refuses it in production', () => {
    expect(masterKeyFromEnv({})).toBeInstanceOf(MasterKey);
    expect(() => masterKeyFromEnv({ NODE_ENV: 'production' })).toThrow(/LM_MASTER_KEY must be set in production/);
    expect(() => masterKeyFromEnv({ NODE_ENV: 'production', LM_MASTER_KEY: DEVELOPMENT_MASTER_KEY })).toThrow(
      /public development key/,
    );
    expect(
      masterKeyFromEnv({ NODE_ENV: 'production', LM_MASTER_KEY: randomBytes(32).toString('base64') }),
    ).toBeInstanceOf(MasterKey);
  });

  it('stops the service from starting in production without its own key, naming the variable', () => {
    expect(() => readSettings(grantsServiceSettings, { NODE_ENV: 'production' })).toThrow(
      /LM_MASTER_KEY must be set in production/,
    );
    expect(readSettings(grantsServiceSettings, {}).masterKey).toBeInstanceOf(MasterKey);
  });

  it('refuses a configured key that is not 32 bytes', () => {
    expect(() => masterKeyFromEnv({ LM_MASTER_KEY: randomBytes(16).toString('base64') })).toThrow(/32 bytes/);
  });

  it('seals for one purpose: the text opens under the same key and purpose only, and any changed byte fails', () => {
    const key = new MasterKey(randomBytes(32));
    const sealed = key.seal('signing-key', Buffer.from('private half'));
    expect(sealed).not.toContain(Buffer.from('private half').toString('base64'));
    expect(key.open('signing-key', sealed).toString()).toBe('private half');
    expect(() => key.open('temporary-credentials', sealed)).toThrow();
    expect(() => new MasterKey(randomBytes(32)).open('signing-key', sealed)).toThrow();
    const bytes = Buffer.from(sealed, 'base64');
    bytes[bytes.length - 1] ^= 1;
    expect(() => key.open('signing-key', bytes.toString('base64'))).toThrow();
  });

  it('derives a different key for each purpose', () => {
    const key = new MasterKey(randomBytes(32));
    expect(key.derive('refresh-token').equals(key.derive('access-token'))).toBe(false);
    expect(key.derive('refresh-token').equals(key.derive('refresh-token'))).toBe(true);
  });
});
