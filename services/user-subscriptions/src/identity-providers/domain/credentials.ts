/** The bind credentials a directory's secret holds. */
export interface DirectoryCredentials {
  username: string;
  password: string;
}

/**
 * The guide's administrative credentials secret: a JSON object with the keys `username` and
 * `password` (License Manager "depends on the exact key names"). The reason a value is unusable
 * never repeats the value.
 */
export function credentialsIn(secretId: string, value: string): DirectoryCredentials | { unusable: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { unusable: `Secret ${secretId} is not a JSON object with the keys username and password.` };
  }
  const { username, password } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '')
    return { unusable: `Secret ${secretId} must hold the keys username and password, each a non-empty string.` };
  return { username, password };
}
