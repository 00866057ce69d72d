import { Client } from 'pg';

/**
 * The secrets every end-to-end system is searched for when it stops (test/support/system.ts), so
 * that the whole suite, not one test, proves none lands in a log line, an event, a view row or an
 * audit record: each development account's secret access keys, which sign every call, and every
 * secret a system handed out to the suite's clients (the SDK clients and signed requests of
 * support/clients.ts, web identity answers): refresh and access tokens, consumption and signed
 * licence tokens, temporary credentials, Secrets Manager values read back.
 */
const handedOut = new Set<string>();

/** Answer members that carry a secret, in any of the APIs the system serves. */
const SECRET_MEMBERS = new Set([
  'Token',
  'AccessToken',
  'LicenseConsumptionToken',
  'SignedToken',
  'SecretAccessKey',
  'SessionToken',
  'SecretString',
]);

/** Shorter strings are too likely to occur by chance (and no secret of the system is this short). */
const MIN_SECRET_LENGTH = 16;

/** Remembers every secret member of an answer (a parsed JSON body or an SDK output), at any depth. */
export function rememberSecretsIn(answer: unknown, depth = 0): void {
  if (depth > 16 || answer === null || typeof answer !== 'object') return;
  for (const [member, value] of Object.entries(answer)) {
    if (typeof value === 'string') {
      if (SECRET_MEMBERS.has(member) && value.length >= MIN_SECRET_LENGTH) handedOut.add(value);
    } else rememberSecretsIn(value, depth + 1);
  }
}

interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

function knownSecrets(accessKeys: AccessKey[]): Array<{ what: string; value: string }> {
  const secrets = accessKeys.map((key) => ({
    what: `secret access key of ${key.accessKeyId}`,
    value: key.secretAccessKey,
  }));
  for (const value of handedOut) secrets.push({ what: `a secret handed out (${value.slice(0, 4)}…)`, value });
  return secrets;
}

/**
 * Where any known secret (the accounts' secret access keys, and those handed out) occurs in the
 * logs or in any row of any table of the database: one line per place and secret, none when
 * nothing leaked.
 */
export async function secretsFound(
  databaseUrl: string,
  logs: Array<[string, string]>,
  accessKeys: AccessKey[],
): Promise<string[]> {
  const secrets = knownSecrets(accessKeys);
  const places = [
    ...logs.map(([name, text]): [string, string] => [`log of ${name}`, text]),
    ...(await tableTexts(databaseUrl)),
  ];
  return places.flatMap(([place, text]) =>
    secrets.filter((secret) => text.includes(secret.value)).map((secret) => `${place}: ${secret.what}`),
  );
}

/** Every table of every schema of the database with its rows as text; none when the database is gone (a fault test stopped its server). */
async function tableTexts(databaseUrl: string): Promise<Array<[string, string]>> {
  const db = new Client({ connectionString: databaseUrl });
  if (
    !(await db.connect().then(
      () => true,
      () => false,
    ))
  )
    return [];
  try {
    const { rows: tables } = await db.query<{ table_schema: string; table_name: string }>(
      `select table_schema, table_name from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const texts: Array<[string, string]> = [];
    for (const { table_schema, table_name } of tables) {
      const { rows } = await db.query<{ row: string }>(
        `select t::text as row from "${table_schema}"."${table_name}" t`,
      );
      texts.push([`table ${table_schema}.${table_name}`, rows.map((r) => r.row).join('\n')]);
    }
    return texts;
  } finally {
    await db.end();
  }
}
