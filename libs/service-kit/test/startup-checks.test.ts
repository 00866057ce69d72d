import { describe, expect, it } from 'vitest';
import { databaseVariableOf, maskPassword } from '../src/startup-checks';

describe('what the start-up checks name', () => {
  it('masks the password of a URL and leaves one without a password as it is', () => {
    expect(maskPassword('postgres://lm:s3cret@db.internal:5433/licenses')).toBe(
      'postgres://lm:***@db.internal:5433/licenses',
    );
    expect(maskPassword('nats://user:pw@127.0.0.1:4222')).toBe('nats://user:***@127.0.0.1:4222');
    expect(maskPassword('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('shows nothing of a database setting that is not a URL, rather than risk its password', () => {
    expect(maskPassword('host=db password=s3cret')).toBe('(unparsable URL)');
  });

  it("names the service's own database variable when set, else DATABASE_URL", () => {
    expect(databaseVariableOf('licensing', { LICENSING_DATABASE_URL: 'postgres://a/b', DATABASE_URL: 'x' })).toBe(
      'LICENSING_DATABASE_URL',
    );
    expect(databaseVariableOf('licensing', { LICENSING_DATABASE_URL: ' ', DATABASE_URL: 'x' })).toBe('DATABASE_URL');
    expect(databaseVariableOf('licensing', {})).toBe('DATABASE_URL');
  });
});
