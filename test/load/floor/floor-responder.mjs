// The floor's service: a plain Node NATS responder that runs one PostgreSQL statement per request
// (a one-row INSERT for a create, a one-row SELECT by primary key for a get) on a pool of the
// product's size and answers with JSON. The product's services do this and everything else.
import { connect } from 'nats';
import pg from 'pg';

const { NATS_URL, DATABASE_URL, FLOOR_SUBJECT, FLOOR_POOL_SIZE } = process.env;
// Idle connections close within a second, so that pgbench, run after, finds the server's slots free.
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: Number(FLOOR_POOL_SIZE), idleTimeoutMillis: 1_000 });
const nc = await connect({ servers: NATS_URL });

const statements = {
  async CreateLicenseConfiguration(input) {
    const { rows } = await pool.query('insert into floor_configurations (payload) values ($1) returning id', [input]);
    return { LicenseConfigurationArn: String(rows[0].id) };
  },
  async GetLicenseConfiguration(input) {
    const { rows } = await pool.query('select id, payload from floor_configurations where id = $1', [
      input.LicenseConfigurationArn,
    ]);
    return { LicenseConfigurationArn: String(rows[0].id), ...rows[0].payload };
  },
};

for (const [operation, run] of Object.entries(statements)) {
  const subscription = nc.subscribe(`${FLOOR_SUBJECT}.${operation}`, { queue: 'floor' });
  void (async () => {
    for await (const message of subscription) {
      run(JSON.parse(Buffer.from(message.data).toString('utf8'))).then(
        (output) => message.respond(JSON.stringify(output)),
        (error) => message.respond(JSON.stringify({ __type: 'FloorError', message: String(error) })),
      );
    }
  })();
}
await nc.flush();
process.send?.('ready');
process.on(
  'SIGTERM',
  () =>
    void nc
      .drain()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
